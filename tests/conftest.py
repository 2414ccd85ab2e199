"""Project-wide test settings: a hypothesis profile without deadlines (exact sympy paths
and first-call imports vary in speed; correctness is what is tested here)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "essl",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("essl")
