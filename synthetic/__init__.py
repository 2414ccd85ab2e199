"""Controlled worlds with known latents, the paper's transformations, and small torch networks.

===========================  ===================================================================
module                       holds
===========================  ===================================================================
``synthetic.worlds``         worlds, presets, datasets, exact analysis, pictures (numpy, no torch)
``synthetic.transforms``     the transformations A as a registry (numpy and torch, exact)
``synthetic.nets``           encoders, the C4 CNN, pretext heads, the bottleneck (torch)
``synthetic.models``         the model registry (names, builders; imports torch only to build)
``synthetic.config``         :class:`~synthetic.config.TrainConfig`, whose fields are the CLI's train options
``synthetic.training``       the training loop and evaluation (torch)
``synthetic.probe``          the linear probe and its usable information (numpy, scipy)
``synthetic.errors``         :class:`~synthetic.errors.SyntheticError` and the errors under it
===========================  ===================================================================

``import synthetic`` and ``import synthetic.worlds`` load no torch.
"""
