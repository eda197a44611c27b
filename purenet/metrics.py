"""Accuracy, the confusion matrix and per-class precision, recall and F1.

confusion[i][j] counts the samples of true class i that the network called j, so the diagonal
holds the correct answers. For class j:

    precision_j = confusion[j][j] / sum_i confusion[i][j]   (of those called j, how many are j)
    recall_j    = confusion[j][j] / sum_k confusion[j][k]   (of the true j, how many were found)
    f1_j        = 2 * precision_j * recall_j / (precision_j + recall_j)

A class never predicted (or never present) gets 0.0 rather than a division by zero.
fastnet computes the confusion matrix with NumPy and reuses the rest of this module.
"""
from __future__ import annotations

from typing import NamedTuple


class Evaluation(NamedTuple):
    """What Network.evaluate returns."""

    loss: float
    accuracy: float  # this and the rest None for targets that name no classes (a regression)
    confusion: list  # n_classes x n_classes counts
    precision: list  # per class
    recall: list
    f1: list


def confusion_matrix(true_labels, predicted_labels, n_classes):
    confusion = [[0] * n_classes for _ in range(n_classes)]
    for true, predicted in zip(true_labels, predicted_labels):
        confusion[true][predicted] += 1
    return confusion


def per_class_scores(confusion):
    """confusion (a list of rows) -> (precision, recall, f1), one float per class each."""
    n = len(confusion)
    precision, recall, f1 = [], [], []
    for j in range(n):
        hits = confusion[j][j]
        called_j = sum(confusion[i][j] for i in range(n))
        truly_j = sum(confusion[j])
        p = hits / called_j if called_j else 0.0
        r = hits / truly_j if truly_j else 0.0
        precision.append(p)
        recall.append(r)
        f1.append(2 * p * r / (p + r) if p + r else 0.0)
    return precision, recall, f1


def evaluation(loss, confusion):
    """Build the Evaluation for a loss and a confusion matrix (list of rows), or for a loss alone
    (confusion None: targets that name no classes, whose accuracy would mean nothing)."""
    if confusion is None:
        return Evaluation(loss, None, None, None, None, None)
    total = sum(map(sum, confusion))
    correct = sum(confusion[j][j] for j in range(len(confusion)))
    precision, recall, f1 = per_class_scores(confusion)
    return Evaluation(loss, correct / total if total else 0.0, confusion, precision, recall, f1)
