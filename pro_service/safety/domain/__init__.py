"""Pure safety rules: lexicon, context cues, detection. No Flask, no SQL, no clock."""
