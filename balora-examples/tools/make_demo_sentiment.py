#!/usr/bin/env python3
"""Writes balora's bundled demo sentiment dataset (train.tsv / heldout.tsv).

The sentences are composed for this project from hand-written review fragments (no third-party data):
a subject, an opinion clause and an optional closing remark, each written twice (positive and negative),
plus hand-written whole sentences. Deterministic: same output on every run.
Run from the repository root: python3 balora-examples/tools/make_demo_sentiment.py
"""
import random

SUBJECTS = [
    "The film", "This movie", "The sequel", "The documentary", "The new album", "This novel", "The play",
    "The restaurant", "Our hotel room", "The laptop", "This phone", "The headphones", "The coffee maker",
    "The service", "The tour guide", "The museum exhibit", "The concert", "The video game", "The soundtrack",
    "The lecture", "The delivery", "The customer support", "The app update", "The camera", "The bakery",
]

POSITIVE = [
    "was an absolute delight from start to finish", "exceeded every expectation I had",
    "left me smiling for the rest of the day", "is beautifully made and a joy to use",
    "felt warm, clever and genuinely moving", "was worth every penny", "works flawlessly",
    "is the best I have tried in years", "was fast, friendly and thoughtful", "surprised me in the best way",
    "has a charm that is hard to resist", "is wonderfully crafted", "kept me hooked the whole time",
    "made the evening unforgettable", "is reliable and a pleasure to own",
]
NEGATIVE = [
    "was a tedious mess from start to finish", "fell far short of what was promised",
    "left me annoyed for the rest of the day", "is cheaply made and a pain to use",
    "felt cold, clumsy and utterly lifeless", "was a waste of money", "breaks down constantly",
    "is the worst I have tried in years", "was slow, rude and careless", "disappointed me in every way",
    "has nothing that makes it worth your time", "is sloppily put together", "bored me the whole time",
    "ruined the evening", "is unreliable and a headache to own",
]
POS_TAIL = ["", "", " I would gladly recommend it.", " Highly recommended.", " I will be back.", " Loved it."]
NEG_TAIL = ["", "", " I would not recommend it.", " Avoid it.", " Never again.", " What a letdown."]

HAND_POS = [
    "I did not expect much, but it turned out to be wonderful.",
    "Not bad at all; in fact, it was great.",
    "A gentle, funny and heartfelt story.",
    "Everything arrived on time and works perfectly.",
    "The staff went out of their way to help us.",
    "Crisp sound, long battery life, comfortable fit.",
    "One of the most satisfying meals I have had.",
    "The ending was perfect and the acting superb.",
    "Simple to set up and it just works.",
    "A delightful surprise on a rainy afternoon.",
    "I laughed, I cried, and I would watch it again.",
    "Fresh bread, kind people, fair prices.",
]
HAND_NEG = [
    "I expected a lot, and it turned out to be awful.",
    "Not good at all; in fact, it was terrible.",
    "A dull, predictable and joyless story.",
    "Nothing arrived on time and nothing works.",
    "The staff ignored us for half an hour.",
    "Tinny sound, weak battery, painful fit.",
    "One of the most disappointing meals I have had.",
    "The ending was lazy and the acting wooden.",
    "Impossible to set up and it keeps crashing.",
    "A miserable waste of a rainy afternoon.",
    "I sighed, I yawned, and I walked out early.",
    "Stale bread, rude people, silly prices.",
]


def compose(rng, subjects, positive, negative, per_subject):
    rows = set()
    for subject in subjects:
        for clauses, tails, label in ((positive, POS_TAIL, 1), (negative, NEG_TAIL, 0)):
            for clause in rng.sample(clauses, min(per_subject, len(clauses))):
                rows.add((f"{subject} {clause}.{rng.choice(tails)}", label))
    return rows


def main():
    rng = random.Random(20261123)
    # The held-out split uses opinion clauses and hand-written sentences the training split never sees,
    # so it measures whether the model learned sentiment rather than memorised phrases.
    train = compose(rng, SUBJECTS, POSITIVE[:11], NEGATIVE[:11], 6)
    train |= {(s, 1) for s in HAND_POS[:6]} | {(s, 0) for s in HAND_NEG[:6]}
    heldout = compose(rng, SUBJECTS[::3], POSITIVE[11:], NEGATIVE[11:], 3)
    heldout |= {(s, 1) for s in HAND_POS[6:]} | {(s, 0) for s in HAND_NEG[6:]}
    train, heldout = sorted(train), sorted(heldout)
    rng.shuffle(train)
    rng.shuffle(heldout)
    base = "balora-examples/src/main/resources/dev/balora/demo/"
    for name, part in (("train.tsv", train), ("heldout.tsv", heldout)):
        with open(base + name, "w", encoding="utf-8") as f:
            f.write("sentence\tlabel\n")
            for sentence, label in part:
                f.write(f"{sentence}\t{label}\n")
    print(f"train {len(train)}, heldout {len(heldout)}")


if __name__ == "__main__":
    main()
