"""Domain logic of Clocks, shared by every function through the layer."""
