# Solutions of exercise 8 (kept apart from the student file; see course/README.md).

# %% solution="8.1"
def code_joint(world, t, q):
    """The exact joint of the world's latents under transformation t and the code q(z|x)."""
    p = world.latent_table(t).astype(float)
    ids = world.x_ids(t)[0]
    return Joint(p[..., None] * np.asarray(q)[ids], names=("C", "S", "Abar", "A", "Z"))


# %% solution="8.2"
def code_information(J):
    """Five information terms of the code Z in the joint J."""
    return {
        "I_A_Z": mutual_information(J, "A", "Z"),
        "I_C_Z": mutual_information(J, "C", "Z"),
        "I_A_Z_given_C": mutual_information(J, "A", "Z", given="C"),
        "I_A_C_given_Z": mutual_information(J, "A", "C", given="Z"),
        "H_C_given_Z": entropy(J, "C", given="Z"),
    }


# %% solution="8.3"
def bounds(info, exact):
    """{bound name: whether it holds} for a code's terms and the world's exact values."""
    tol = 1e-9
    return {
        "data_processing": info["I_A_Z"] <= exact["I_A_X"] + tol,
        "class_cap": info["I_C_Z"] <= exact["I_C_X"] + tol,
        "t1_identity": abs(info["I_A_Z"] - (info["I_A_Z_given_C"] - info["I_A_C_given_Z"])) <= tol,
        "t1_floor": info["I_A_Z"] >= info["I_A_Z_given_C"] - info["H_C_given_Z"] - tol,
    }
