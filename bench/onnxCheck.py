"""Check hogi's exported ONNX files with the ONNX project's own tools (not part of the product).

For every model.onnx under DIR (as written by `hogi models export --format onnx --out DIR`):
  - onnx.checker.check_model(model, full_check=True): structure, opsets, and full shape inference;
  - onnx.shape_inference.infer_shapes(strict_mode=True): every output's inferred shape is printed
    and must be [batch, 45] (or [N, 45]);
  - test_data_set_0/input_0.pb and output_0.pb (where present) parse as TensorProto and match
    the graph's declared input rank and the 45-wide output summing to 6.
Prints one line per file; exits 1 if any check fails.

    /usr/bin/python3 bench/onnxCheck.py DIR
"""
import os
import sys

import onnx
from onnx import numpy_helper, shape_inference


def dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    outs = {o.name: dims(o) for o in inferred.graph.output}
    prob = outs.get("probabilities")
    if prob is None or len(prob) != 2 or prob[1] != 45:
        raise ValueError(f"output probabilities has inferred shape {prob}, expected [batch, 45]")
    data_dir = os.path.join(os.path.dirname(path), "test_data_set_0")
    opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    declared = dims(model.graph.input[0])
    summary = f"ir {model.ir_version}, opsets {opsets}, {len(model.graph.node)} nodes, input {declared}, outputs {outs}"
    if not os.path.isdir(data_dir):
        return summary + " (no test data)"
    tin = onnx.TensorProto()
    with open(os.path.join(data_dir, "input_0.pb"), "rb") as f:
        tin.ParseFromString(f.read())
    tout = onnx.TensorProto()
    with open(os.path.join(data_dir, "output_0.pb"), "rb") as f:
        tout.ParseFromString(f.read())
    x = numpy_helper.to_array(tin)
    y = numpy_helper.to_array(tout)
    if x.ndim != len(declared) or any(isinstance(d, int) and d and d != s for d, s in zip(declared, x.shape)):
        raise ValueError(f"input_0.pb has shape {list(x.shape)}, the graph declares {declared}")
    if y.shape != (1, 45) or abs(float(y.sum()) - 6) > 1e-3:
        raise ValueError(f"output_0.pb has shape {list(y.shape)} and sum {float(y.sum()):.5f}, expected [1, 45] summing to 6")
    return summary + ", test data ok"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip())
        sys.exit(2)
    root = sys.argv[1]
    files = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f == "model.onnx" and not os.path.basename(d).startswith(".")
    )
    if not files:
        print(f"no model.onnx under {root}")
        sys.exit(1)
    failed = 0
    print(f"onnx {onnx.__version__}: checker (full_check) + strict shape inference on {len(files)} files")
    for path in files:
        name = os.path.relpath(os.path.dirname(path), root)
        try:
            print(f"  ok    {name}: {check(path)}")
        except Exception as e:  # report every file, then fail
            failed += 1
            print(f"  FAIL  {name}: {type(e).__name__}: {str(e).splitlines()[0]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
