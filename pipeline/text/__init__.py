"""Italian segmentation and tokenization shared by the stages."""
from pipeline.text.sentences import Sentence, split_sentences
from pipeline.text.tokens import Token, fold, tokenize

__all__ = ["Sentence", "split_sentences", "Token", "tokenize", "fold"]
