"""Static analysis of downstream repositories: which pre-trained models they load."""
