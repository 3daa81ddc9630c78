import torchaudio
from nemo.collections.asr.models import EncDecCTCModelBPE
from pyannote.audio import Pipeline
from speechbrain.inference.speaker import EncoderClassifier
from espnet2.bin.asr_inference import Speech2Text
from asteroid.models import ConvTasNet

bundle = torchaudio.pipelines.WAV2VEC2_ASR_BASE_960H
asr = bundle.get_model()  # expect: torchaudio:WAV2VEC2_ASR_BASE_960H
hubert = torchaudio.pipelines.HUBERT_BASE.get_model()  # expect: torchaudio:HUBERT_BASE
waveform, sr = torchaudio.load("sample.wav")

diarization = Pipeline.from_pretrained("pyannote/speaker-diarization@2.1", use_auth_token=True)  # expect: pyannote/speaker-diarization
speaker = EncoderClassifier.from_hparams(source="speechbrain/spkrec-ecapa-voxceleb", savedir="pretrained_models/ecapa")  # expect: speechbrain/spkrec-ecapa-voxceleb
conformer = EncDecCTCModelBPE.from_pretrained(model_name="nvidia/stt_en_conformer_ctc_large")  # expect: nvidia/stt_en_conformer_ctc_large
espnet = Speech2Text.from_pretrained("espnet/simpleoier_librispeech_asr_train_asr_conformer7_wavlm_large_raw_en_bpe5000_sp")  # expect: espnet/simpleoier_librispeech_asr_train_asr_conformer7_wavlm_large_raw_en_bpe5000_sp
separator = ConvTasNet.from_pretrained("mpariente/ConvTasNet_WHAM_sepclean")  # expect: mpariente/ConvTasNet_WHAM_sepclean
