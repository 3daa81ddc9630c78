import argparse
import os
import sys

from transformers import AutoModelForTokenClassification, AutoTokenizer, T5ForConditionalGeneration


def parse_args():
    parser = argparse.ArgumentParser(description="Fine-tune a token classifier")
    parser.add_argument("--model_name_or_path", type=str, default="microsoft/deberta-v3-base")
    parser.add_argument("--teacher-model", dest="teacher", default="bert-large-cased")
    parser.add_argument("--output_dir", type=str, required=True)
    parser.add_argument("--resume_from", type=str)
    return parser.parse_args()


def main():
    args = parse_args()
    tok = AutoTokenizer.from_pretrained(args.model_name_or_path)  # expect: microsoft/deberta-v3-base
    model = AutoModelForTokenClassification.from_pretrained(args.model_name_or_path, num_labels=9)  # expect: microsoft/deberta-v3-base
    teacher = AutoModelForTokenClassification.from_pretrained(args.teacher)  # expect: bert-large-cased
    resumed = AutoModelForTokenClassification.from_pretrained(args.resume_from)  # expect: -
    saved = AutoModelForTokenClassification.from_pretrained(args.output_dir)  # expect: -
    env_model = os.environ.get("T5_MODEL", "google/flan-t5-base")
    t5 = T5ForConditionalGeneration.from_pretrained(env_model)  # expect: google/flan-t5-base
    other = T5ForConditionalGeneration.from_pretrained(os.getenv("OTHER_T5"))  # expect: -
    from_cli = AutoTokenizer.from_pretrained(sys.argv[1])  # expect: -
    return tok, model, teacher, resumed, saved, t5, other, from_cli


if __name__ == "__main__":
    main()
