"""ANN Lab: a classroom web app that shows how neural networks learn."""

__version__ = "0.1.0"
