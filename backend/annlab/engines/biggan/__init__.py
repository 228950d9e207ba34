"""The BigGAN lesson: label-to-class resolution and a worker process that draws images.

Nothing here imports PyTorch at import time except `sampler` and
`tiny_model`, so the web server and a starting worker stay light.
"""
