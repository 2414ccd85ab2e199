"""The course command: ``exercises list | start | check | export``."""

from __future__ import annotations

import argparse
import json

from .core import command, positive_int


def _exercises_options(p: argparse.ArgumentParser) -> None:
    from ..course.handout import FORMATS

    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the exercises with their goals and estimated minutes")
    listing.add_argument("--json", action="store_true", help="a JSON list")
    begin = actions.add_parser("start", help="copy an exercise out to work on")
    begin.add_argument("number", type=positive_int, metavar="N", help="the exercise's number")
    begin.add_argument("--to", default=".", metavar="DIR", help="the folder to copy it into (default: here)")
    begin.add_argument("--ipynb", action="store_true", help="a Jupyter notebook instead of a percent-format script")
    begin.add_argument("--force", action="store_true", help="overwrite a file of the same name")
    marking = actions.add_parser("check", help="run a filled-in exercise and print a mark per task")
    marking.add_argument("file", metavar="FILE", help="a student's .py (percent format) or .ipynb")
    marking.add_argument("--json", action="store_true", help="the marks as JSON, for a grading script")
    marking.add_argument(
        "--tasks-only",
        action="store_true",
        help="stop after the last task's check (skip the cells after it, such as training runs)",
    )
    out = actions.add_parser("export", help="join exercises and solutions for a teacher (otter-grader, or solved)")
    out.add_argument("--to", required=True, metavar="DIR", help="the folder to write into")
    out.add_argument("--format", choices=FORMATS, default="otter", help="otter master notebooks, or solved scripts")
    out.add_argument("--solutions", metavar="DIR", help="the solutions folder (default: the source tree's)")
    out.add_argument("--only", type=positive_int, nargs="+", metavar="N", help="these exercises only")
    out.add_argument("--force", action="store_true", help="overwrite files of the same names")


@command(
    "exercises",
    "the course on explaining away: list, start and check exercises; export them for a teacher",
    _exercises_options,
    paths=("file", "to", "solutions"),
)
def cmd_exercises(args: argparse.Namespace) -> int:
    from ..course import EXERCISES, mark_file
    from ..course.handout import export, start

    if args.action == "list":
        rows = [
            {"number": e.number, "title": e.title, "goal": e.goal, "minutes": e.minutes, "trains": e.trains}
            for e in EXERCISES
        ]
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        for e in EXERCISES:
            note = ", trains networks on the CPU" if e.trains else ""
            print(f"{e.number}. {e.title} (about {e.minutes} min{note})\n   {e.goal}")
        print("\nStart one with: essl-testbed exercises start N [--to DIR] [--ipynb]")
        return 0
    if args.action == "start":
        path = start(args.number, args.to, notebook=args.ipynb, force=args.force)
        print(f"{path}\nOpen it in Jupyter or VS Code (a .py opens as a notebook with jupytext), fill in the")
        print(f"cells marked answer, run each check; then: essl-testbed exercises check {path}")
        return 0
    if args.action == "check":
        marks = mark_file(args.file, tasks_only=args.tasks_only)
        print(json.dumps(marks.as_dict(), indent=2) if args.json else marks)
        return 0 if marks.passed == marks.total else 1
    for path in export(args.to, args.format, args.solutions, args.only, force=args.force):
        print(path)
    if args.format == "otter":
        print("Then, per exercise: otter assign MASTER.ipynb DIST/ ; otter run -a DIST/autograder/*.zip FILLED.ipynb")
    return 0
