"""Unit tests of the metrics and switches (python -m unittest discover -s tests)."""

import unittest

from app import metrics as prom

MODEL = {"classes": ["setosa", "versicolor", "virginica"]}


class TrainingShare(unittest.TestCase):
    def test_from_the_model_file(self):
        model = dict(MODEL, class_share={"setosa": 0.5, "versicolor": 0.25, "virginica": 0.25})
        self.assertEqual(prom.training_share(model)["setosa"], 0.5)

    def test_equal_without_one(self):
        self.assertEqual(set(prom.training_share(MODEL).values()), {1 / 3})

    def test_exported_with_every_class_at_zero_before_any_prediction(self):
        m = prom.Metrics()
        m.set_training_share(prom.training_share(MODEL))
        m.observe(200, 0.001, ["virginica"])
        text = m.text()
        self.assertIn('iris_predictions_total{class="setosa"} 0\n', text)
        self.assertIn('iris_predictions_total{class="virginica"} 1\n', text)
        self.assertIn("# TYPE iris_training_class_share gauge\n", text)
        self.assertIn(f'iris_training_class_share{{class="versicolor"}} {1 / 3}\n', text)


class Switches(unittest.TestCase):
    def test_skew(self):
        s = prom.Switches({"INJECT_SKEW_RATE": "0.5", "INJECT_SKEW_CLASS": "virginica"})
        self.assertEqual((s.skew_every, s.skew_class), (2, "virginica"))
        self.assertEqual(prom.Switches({}).skew_every, 0)


if __name__ == "__main__":
    unittest.main()
