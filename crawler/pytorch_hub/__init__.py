"""PyTorch Hub: model pages of ``pytorch/hub`` (front matter, ``torch.hub.load`` calls) and ``hubconf.py`` listing.

Everything here is static analysis of downloaded text: nothing is imported or executed.
"""
