"""The forecast claim: exact quantities forecast, before training, which task teaches class
features; the networks then score the forecast (:mod:`essl_testbed.experiments.forecast`)."""

from __future__ import annotations

from dataclasses import replace

from ..experiments.tables import markdown_table
from .claims import ClaimContext, Finding, Verdict, claim


def sample_for(steps: int):
    """The full sample (30 random worlds, fonts, presets) at the forecast budget's steps or
    more; 8 random worlds and the fonts world below it (the quick profile); 2 random worlds
    for a budget of a few steps (tests)."""
    from ..experiments.forecast import FORECAST_BUDGET, ForecastSample

    if steps >= FORECAST_BUDGET.steps:
        return ForecastSample()
    if steps >= 100:
        return ForecastSample(n_random=8, presets=())
    return ForecastSample(n_random=2, presets=(), tasks=("rot4", "hflip", "blur4"))


@claim(
    "forecast",
    "Exact quantities forecast which pretext task teaches class features",
    "The paper's principles explain which augmentations teach class features; if they do, a quantity computed "
    "from the world alone should rank tasks and worlds by the class features the networks learn.",
)
def claim_forecast(ctx: ClaimContext) -> Finding:
    from ..experiments.forecast import (
        BASELINE,
        CANDIDATES,
        FORECAST_BUDGET,
        PRIMARY,
        SCORE_HEADER,
        other_scorings,
        run_forecast,
        score_table,
    )

    budget = replace(
        FORECAST_BUDGET,
        steps=min(FORECAST_BUDGET.steps, ctx.run.budget.steps),
        seeds=ctx.run.budget.seeds[: len(FORECAST_BUDGET.seeds)],
        lr=ctx.run.budget.lr,
    )
    sample = sample_for(budget.steps)
    result = run_forecast(ctx.out / "forecast", sample, ctx.run.under(budget), log=lambda _: None)
    scores = result["scores_obj"]
    primary = scores[PRIMARY]
    verdict = Verdict(result["verdict"])
    advantage = primary.advantage
    text = (
        f"Sample: {sample.describe()}; {len(result['rows'])} (world, task) points, each trained "
        f"{budget.steps} steps on seeds {', '.join(map(str, budget.seeds))}; the measured gain is the normalised probe "
        f"gain (so worlds with different numbers of classes pool). The forecast table was written before any "
        f"training (`forecast/forecast.json`, sha256 {result['sha256'][:16]}...). Declared in code: primary forecast "
        f"{CANDIDATES[PRIMARY][0]}, the class bits every log-loss-optimal code must carry; *supported* when its "
        f"Spearman ρ interval over worlds and its advantage over the baseline {CANDIDATES[BASELINE][0]} both lie above "
        f"0, *contradicted* when either lies below 0. ρ = {primary.rho:+.3f} [{primary.interval[0]:+.3f}, "
        f"{primary.interval[1]:+.3f}]; advantage over the baseline {advantage[0]:+.3f} [{advantage[1]:+.3f}, "
        f"{advantage[2]:+.3f}]; top-1 agreement {primary.top1:.3f} (a world's best task, ties shared); "
        f"{primary.constant_worlds} worlds where the primary forecast is the same for every task (it ranks worlds "
        f"there, not tasks). Dead runs: {result['dead_runs'][0]}/{result['dead_runs'][1]}."
    )
    return Finding(
        verdict,
        text,
        markdown_table(SCORE_HEADER, score_table(scores))
        + "\n\nBeside the declared scoring (reported, not voted):\n\n"
        + other_scorings(result["other_scorings"], *result["certified_points"]),
        result["figure"] and f"forecast/{result['figure']}",
        {
            k: v
            for k, v in result.items()
            if k
            in (
                "sample",
                "sha256",
                "minutes",
                "verdict",
                "dead_runs",
                "scores",
                "scores_over_null",
                "scores_certified",
                "certified_points",
            )
        },
    )
