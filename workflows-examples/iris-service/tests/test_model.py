"""Unit tests of the model code (python -m unittest discover -s tests), standard library only."""

import json
import os
import tempfile
import unittest

import train
from app import model as iris


class TrainAndPredict(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        train.main(["--out", cls.dir.name])
        cls.model = iris.load(os.path.join(cls.dir.name, "model.json"))
        with open(os.path.join(cls.dir.name, "metrics.json"), encoding="utf-8") as f:
            cls.metrics = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_accuracy_on_held_out_rows(self):
        self.assertGreaterEqual(self.metrics["accuracy"], 0.9)
        self.assertEqual(self.metrics["test_rows"], 30)

    def test_training_distribution_baked_with_the_model(self):
        self.assertEqual(self.model["class_share"], dict.fromkeys(self.model["classes"], 0.333333))
        bad = dict(self.model, class_share={"setosa": 2})
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(bad, f)
            with self.assertRaises(iris.ModelError):
                iris.load(path)

    def test_known_rows(self):
        rows = [[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5]]
        self.assertEqual(iris.predict(self.model, rows), ["setosa", "versicolor", "virginica"])

    def test_instances_by_feature_name(self):
        row = dict(zip(iris.FEATURES, [5.1, 3.5, 1.4, 0.2]))
        self.assertEqual(iris.predict(self.model, [row]), ["setosa"])

    def test_bad_instances(self):
        bad_cases = (
            [],
            [[1, 2, 3]],
            [["a", 1, 2, 3]],
            [[1, 2, 3, float("nan")]],
            [{"sepal_length": 1}],
            "x",
        )
        for bad in bad_cases:
            with self.subTest(bad=bad), self.assertRaises(iris.ModelError):
                iris.predict(self.model, bad)

    def test_deterministic(self):
        with tempfile.TemporaryDirectory() as other:
            train.main(["--out", other])
            for name in ("model.json", "metrics.json"):
                with open(os.path.join(self.dir.name, name), "rb") as a:
                    first = a.read()
                with open(os.path.join(other, name), "rb") as b:
                    self.assertEqual(first, b.read(), name)


if __name__ == "__main__":
    unittest.main()
