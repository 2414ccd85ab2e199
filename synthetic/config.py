"""The training configuration: one frozen dataclass whose fields are also the CLI's options.

Each field's ``help`` metadata is the option's help text; ``essl-testbed train`` and
``essl-testbed sweep`` derive their options, defaults and choices from here, so a default
exists once.

>>> TrainConfig(model="mlp", epochs=2).batch_size
64
>>> TrainConfig(model="bottleneck", mode="add")
Traceback (most recent call last):
...
synthetic.errors.TrainConfigError: model 'bottleneck' trains in mode(s) normal, eliminate, not 'add'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from . import models
from .errors import TrainConfigError
from .objectives import OBJECTIVES

__all__ = ["AUX_LABELS", "TrainConfig", "cli_fields"]

AUX_LABELS = ("class", "colour")
"""Labels the head of ``add``/``eliminate`` can predict: the class, or the colour style knob
(the add-nuisance control: an auxiliary task that knowing A's explanation does not need)."""


def _option(default: Any, help_text: str, **extra: Any) -> Any:
    return field(default=default, metadata={"help": help_text, **extra})


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run except the seed, the world and the data."""

    model: str = _option("cnn", "pretext network (see the model registry)", choices=models.names)
    mode: str = _option(
        "normal",
        "normal: CE_A; add: CE_A + lam*CE_C; eliminate: class removed by gradient reversal",
        choices=lambda: models.MODES,
    )
    objective: str = _option(
        "predict",
        "predict: CE for A (the E-SSL task); vicreg-equivariance: equivariance f(gx) = rho(g) f(x) with VICReg terms (CARE's rho-form ablation); instance: N-way instance "
        "classifier; contrastive: InfoNCE between two views of an instance; essl: InfoNCE + weight * CE(A); care: "
        "InfoNCE + weight * Gram-matrix equivariance",
        choices=lambda: OBJECTIVES,
    )
    lam: float = _option(1.0, "weight of the class loss (add) / strength of the reversal (eliminate)")
    aux: str = _option(
        "class",
        "the label of add/eliminate's head: class, or colour (a nuisance label that does not interact with A)",
        choices=lambda: AUX_LABELS,
    )
    epochs: int = _option(30, "passes over the training rows (when steps is 0)")
    steps: int = _option(0, "optimiser steps, the same for every task whatever its data size (0: use epochs)")
    batch_size: int = _option(64, "rows per optimiser step")
    # 3e-3 left some seeds' networks dead (pretext accuracy at chance throughout)
    lr: float = _option(1e-3, "Adam learning rate")
    feature_dim: int = _option(64, "encoder output size")
    width: int = _option(16, "channels of the first convolution (CNN, C4 CNN, bottleneck)")
    n_codes: int = _option(16, "codes of the categorical bottleneck")
    readout_grid: int = _option(
        0, "cells per side the encoder's readout pools to (0: the model's own, CNN 2 and C4 CNN 1; 1: global pooling)"
    )
    warmup: float = _option(0.0, "eliminate: share of the steps over which the reversal strength ramps from 0 to lam")
    sharpen: float = _option(
        0.0,
        "bottleneck: share of the steps, at the end, trained on the expected loss E_q[-log p(a|z)] instead of the "
        "mixture, which pushes the code's own H(A|Z) down and the code sharp",
    )
    weight: float | None = _option(
        None,
        "essl: lambda of CE(A) (default 0.4, published; 0: the contrastive base); care: w of the equivariance term "
        "(default 0.01)",
    )
    temperature: float | None = _option(
        None, "InfoNCE temperature of contrastive, essl and care (default 0.5, SimCLR's setting for small batches)"
    )
    device: str = _option("cpu", "cpu, cuda, cuda:N or auto")

    def __post_init__(self) -> None:
        spec = models.get(self.model)
        if self.mode not in models.MODES:
            raise TrainConfigError(f"unknown mode {self.mode!r}; valid: {', '.join(models.MODES)}")
        if self.mode not in spec.modes:
            raise TrainConfigError(f"model {self.model!r} trains in mode(s) {', '.join(spec.modes)}, not {self.mode!r}")
        if self.objective not in OBJECTIVES:
            raise TrainConfigError(f"unknown objective {self.objective!r}; valid: {', '.join(OBJECTIVES)}")
        if self.objective != "predict" and self.mode != "normal":
            raise TrainConfigError(
                f"mode {self.mode!r} changes the class head of the 'predict' objective; "
                f"objective {self.objective!r} has none (use mode 'normal')"
            )
        if self.objective != "predict" and self.model == "bottleneck":
            raise TrainConfigError(
                f"the bottleneck predicts A through its code; objective {self.objective!r} trains cnn, c4cnn or mlp"
            )
        if self.weight is not None:
            ok = isinstance(self.weight, (int, float)) and not isinstance(self.weight, bool)
            if not ok or not math.isfinite(self.weight) or self.weight < 0:
                raise TrainConfigError(f"weight must be a non-negative number, got {self.weight!r}")
            if self.objective not in ("essl", "care"):
                raise TrainConfigError(f"weight weighs the second term of essl and care; {self.objective!r} has none")
        if self.temperature is not None:
            ok = isinstance(self.temperature, (int, float)) and not isinstance(self.temperature, bool)
            if not ok or not math.isfinite(self.temperature) or self.temperature <= 0:
                raise TrainConfigError(f"temperature must be a positive number, got {self.temperature!r}")
            if self.objective not in ("contrastive", "essl", "care"):
                raise TrainConfigError(f"temperature scales InfoNCE; objective {self.objective!r} has none")
        if self.aux not in AUX_LABELS:
            raise TrainConfigError(f"unknown aux label {self.aux!r}; valid: {', '.join(AUX_LABELS)}")
        if self.aux != "class" and self.mode == "normal":
            raise TrainConfigError(f"aux={self.aux!r} labels the head of add/eliminate; mode 'normal' has none")
        if self.readout_grid and self.model not in ("cnn", "c4cnn"):
            raise TrainConfigError(f"readout_grid sets the CNN or C4 CNN readout; model {self.model!r} has none")
        if not (isinstance(self.warmup, (int, float)) and not isinstance(self.warmup, bool) and 0 <= self.warmup <= 1):
            raise TrainConfigError(f"warmup must be a share of the steps in [0, 1], got {self.warmup!r}")
        if not (
            isinstance(self.sharpen, (int, float)) and not isinstance(self.sharpen, bool) and 0 <= self.sharpen <= 1
        ):
            raise TrainConfigError(f"sharpen must be a share of the steps in [0, 1], got {self.sharpen!r}")
        if self.sharpen and self.model != "bottleneck":
            raise TrainConfigError(f"sharpen changes the bottleneck's loss; model {self.model!r} has none")
        if self.warmup and self.mode != "eliminate":
            raise TrainConfigError(f"warmup ramps eliminate's reversal strength; mode {self.mode!r} has none")
        for name in ("epochs", "steps", "batch_size", "feature_dim", "width", "n_codes", "readout_grid"):
            value = getattr(self, name)
            counts = name in ("epochs", "steps", "readout_grid")
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if counts else 1):
                kind = "a non-negative" if counts else "a positive"
                raise TrainConfigError(f"{name} must be {kind} int, got {value!r}")
        for name, low in (("lr", "positive"), ("lam", "non-negative")):
            value = getattr(self, name)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            if not ok or not (value > 0 if low == "positive" else value >= 0):
                raise TrainConfigError(f"{name} must be a {low} number, got {value!r}")

    def as_dict(self) -> dict:
        out = asdict(self)
        if not self.steps:
            del out["steps"]  # keeps the keys of epoch-budgeted experiments what they were
        for name, default in (
            ("aux", "class"),
            ("objective", "predict"),
            ("readout_grid", 0),
            ("warmup", 0.0),
            ("sharpen", 0.0),
            ("weight", None),
            ("temperature", None),
        ):
            if out[name] == default:
                del out[name]  # and those of every experiment from before the field existed
        return out

    def batches_per_epoch(self, n_rows: int) -> list[int]:
        """Optimiser steps in each epoch over ``n_rows`` rows: ``epochs`` full passes, or, with
        ``steps``, as many passes as those steps need, the last one cut short.

        >>> TrainConfig(steps=5, batch_size=4).batches_per_epoch(10)
        [3, 2]
        >>> TrainConfig(epochs=2, batch_size=4).batches_per_epoch(10)
        [3, 3]
        """
        per_epoch = max(1, math.ceil(n_rows / self.batch_size))
        if not self.steps:
            return [per_epoch] * self.epochs
        full, rest = divmod(self.steps, per_epoch)
        return [per_epoch] * full + ([rest] if rest else [])


def cli_fields() -> list[tuple[str, type, Any, str, tuple[str, ...] | None]]:
    """``(field name, type, default, help, choices)`` for every field, in declaration order."""
    types = {"str": str, "int": int, "float": float, "float | None": float}
    out = []
    for f in fields(TrainConfig):
        choices = f.metadata.get("choices")
        out.append((f.name, types[str(f.type)], f.default, f.metadata["help"], tuple(choices()) if choices else None))
    return out
