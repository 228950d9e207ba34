"""The Fashion-MNIST GAN: data loader, networks and training loop."""
