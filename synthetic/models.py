"""The model registry: every trainable pretext network, declared once by name.

A builder takes the training configuration and a world dataset and returns a
:class:`~synthetic.nets.interface.PretextNetwork` (``pretext_loss`` and ``predict``; checked
when the network is built). Registering imports no torch: builders import it when called, so
listing models stays cheap.

>>> names()
('cnn', 'c4cnn', 'mlp', 'bottleneck')
>>> get("bottleneck").modes
('normal', 'eliminate')

Adding a model is one call:

>>> @register("tiny-mlp", "an MLP with 8 features", modes=("normal",))
... def _tiny(config, dataset):
...     from synthetic.nets import MLPEncoder, PretextModel
...     return PretextModel(MLPEncoder(dataset.x.shape[1], dataset.x.shape[2], feature_dim=8), dataset.n_actions)
>>> "tiny-mlp" in names()
True
>>> unregister("tiny-mlp")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import TrainConfigError

if TYPE_CHECKING:  # the registry imports no torch
    from .nets.interface import PretextNetwork

__all__ = ["MODES", "ModelSpec", "get", "names", "register", "unregister"]

MODES = ("normal", "add", "eliminate")
"""The class-information settings: CE_A; CE_A + lam * CE_C; class removed by gradient reversal."""

Builder = Callable[[Any, Any], "PretextNetwork"]
"""``build(config, dataset) -> network``: a :class:`~synthetic.config.TrainConfig` and a
:class:`~synthetic.worlds.datasets.WorldDataset` to a network that meets the Protocol."""


@dataclass(frozen=True)
class ModelSpec:
    """A registered model: its name, a one-line description, its builder and the modes it trains in."""

    name: str
    description: str
    build: Builder
    modes: tuple[str, ...] = MODES


_REGISTRY: dict[str, ModelSpec] = {}


def register(name: str, description: str, modes: tuple[str, ...] = MODES) -> Callable[[Builder], Builder]:
    """Decorator: register ``build(config, dataset) -> network`` under ``name``."""
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise TrainConfigError(f"modes of model {name!r} must be a non-empty subset of {MODES}, got {modes!r}")

    def add(build: Builder) -> Builder:
        if name in _REGISTRY:
            raise TrainConfigError(f"a model named {name!r} is already registered")
        _REGISTRY[name] = ModelSpec(name, description, build, tuple(modes))
        return build

    return add


def unregister(name: str) -> None:
    """Remove a registered model (for tests and interactive sessions)."""
    get(name)
    del _REGISTRY[name]


def names() -> tuple[str, ...]:
    """The registered model names, in registration order."""
    return tuple(_REGISTRY)


def get(name: str) -> ModelSpec:
    """The spec of model ``name``; an unknown name raises :class:`TrainConfigError` listing the valid ones."""
    if name not in _REGISTRY:
        raise TrainConfigError(f"unknown model {name!r}; valid: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]


def _pretext_head(encoder: Any, config: Any, dataset: Any) -> Any:
    """The head of ``config.objective`` on ``encoder``: a linear action head (the instances are
    the actions of an instance-labelled dataset), with a class head for ``add`` /
    ``eliminate``; the strict-equivariance or contrastive wrapper for those objectives."""
    import torch

    from .nets import PretextModel
    from .nets.contrastive import ContrastiveModel
    from .nets.strict import StrictModel

    by_instance = config.objective in ("instance", "contrastive")
    if by_instance != (dataset.labels == "instance"):
        raise TrainConfigError(
            f"objective {config.objective!r} trains on {'instance' if by_instance else 'action or class'} labels; "
            f"the dataset holds {dataset.labels!r} labels"
            + (" (pass synthetic.objectives.relabel_by_instance(dataset))" if by_instance else "")
        )
    if config.objective == "vicreg-equivariance":
        return StrictModel(encoder, dataset.transform)
    if config.objective == "contrastive":
        seed = int(torch.randint(2**31, ()))
        return ContrastiveModel(encoder, dataset.x, dataset.a, seed=seed, temperature=config.temperature)
    if config.objective in ("essl", "care"):
        from .nets.published import PublishedObjective
        from .objectives import instance_ids, view_ids

        return PublishedObjective(
            encoder,
            config.objective,
            dataset.x,
            dataset.a,
            instance_ids(dataset)[0],
            view_ids(dataset),
            dataset.n_actions,
            seed=int(torch.randint(2**31, ())),
            weight=config.weight,
            temperature=config.temperature,
        )
    if config.mode == "normal":
        return PretextModel(encoder, dataset.n_actions)
    return PretextModel(
        encoder,
        dataset.n_actions,
        n_classes=dataset.n_classes,
        class_head=config.mode,
        reversal_lambda=config.lam,
        class_weight=config.lam if config.mode == "add" else 1.0,
    )


@register("cnn", "a small CNN: three 3x3 convolutions with group norm, two halvings, a linear map to the features")
def _cnn(config: Any, dataset: Any) -> Any:
    from .nets import CNNEncoder

    encoder = CNNEncoder(
        dataset.x.shape[1], width=config.width, feature_dim=config.feature_dim, readout_grid=config.readout_grid or 2
    )
    return _pretext_head(encoder, config, dataset)


@register("c4cnn", "a C4 group-equivariant CNN matched to the CNN's feature size and parameter count")
def _c4cnn(config: Any, dataset: Any) -> Any:
    from .nets import matched_pair

    # readout_grid g > 0 matches it against the CNN with the same readout; 0 against the default CNN
    grids = (
        {"readout_grid": config.readout_grid, "cnn_readout_grid": config.readout_grid} if config.readout_grid else {}
    )
    return _pretext_head(
        matched_pair(dataset.x.shape[1], config.feature_dim, cnn_width=config.width, **grids).c4, config, dataset
    )


@register("mlp", "an MLP on the flattened image: Linear-ReLU-Linear-ReLU")
def _mlp(config: Any, dataset: Any) -> Any:
    from .nets import MLPEncoder

    return _pretext_head(
        MLPEncoder(dataset.x.shape[1], dataset.x.shape[2], feature_dim=config.feature_dim), config, dataset
    )


@register(
    "bottleneck",
    "a CNN into a categorical code q(z|x) whose joint with the latents is exact",
    modes=("normal", "eliminate"),
)
def _bottleneck(config: Any, dataset: Any) -> Any:
    from .nets import CategoricalBottleneck, CNNEncoder

    encoder = CNNEncoder(dataset.x.shape[1], width=config.width, feature_dim=config.feature_dim)
    if config.mode == "eliminate":
        return CategoricalBottleneck(
            encoder, config.n_codes, dataset.n_actions, n_classes=dataset.n_classes, reversal_lambda=config.lam
        )
    return CategoricalBottleneck(encoder, config.n_codes, dataset.n_actions)
