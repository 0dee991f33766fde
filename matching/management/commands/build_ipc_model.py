"""Rebuild the IPC predictor from the shipped data into var/models/."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from patents.tagging.model import build_model, reset_model, save_model


class Command(BaseCommand):
    help = "Fit the IPC subclass predictor on data/ and save it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--recompute-vectors", action="store_true", help="re-embed the CN titles (~5 min)"
        )
        parser.add_argument("--no-vectors", action="store_true", help="TF-IDF + SVM only")

    def handle(self, *args, recompute_vectors, no_vectors, **options):
        started = time.monotonic()
        if recompute_vectors:
            from patents.tagging.vectors import compute_training_vectors

            compute_training_vectors()
        model = build_model(with_vectors=not no_vectors)
        path = save_model(model)
        reset_model()
        knn = "on" if model.knn_vectors is not None else "off"
        self.stdout.write(
            f"saved {path} ({len(model.classes)} classes, kNN {knn}) "
            f"in {time.monotonic() - started:.0f} s"
        )
