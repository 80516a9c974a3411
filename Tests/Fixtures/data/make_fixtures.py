"""Writes the NumPy-made fixtures of Tests/EngineTests/Data (run from this directory).

Every array is small and its values follow from its shape, so the tests can restate them.
Made with NumPy 2.4; the .npy byte layout (header padding) is NumPy's own.
"""
import zipfile

import numpy as np
from numpy.lib import format as npformat


def ramp(shape, dtype):
    """0, 1, 2, ... in C order, halved for floats so that fractions appear."""
    values = np.arange(int(np.prod(shape)))
    if np.dtype(dtype).kind == "f":
        values = values / 2 - 1
    return values.reshape(shape).astype(dtype)


# One file per supported dtype, as np.save writes them (format 1.0).
np.save("f4.npy", ramp((2, 3), "<f4"))
np.save("f8.npy", ramp((3,), "<f8"))
np.save("u1.npy", ramp((2, 2, 2), "|u1"))
np.save("i4.npy", ramp((4,), "<i4"))
np.save("i8.npy", ramp((2, 1), "<i8"))
np.save("f8_scalar.npy", np.float64(2.5))
np.save("f4_empty.npy", np.zeros((0, 3), "<f4"))

# Format versions 2.0 and 3.0 (3.0: UTF-8 header), written explicitly.
for version in [(2, 0), (3, 0)]:
    with open(f"i8_v{version[0]}.npy", "wb") as f:
        npformat.write_array(f, ramp((2, 3), "<i8"), version=version)

# What the readers must refuse.
np.save("be_f4.npy", ramp((2, 2), ">f4"))
np.save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save("fortran.npy", np.asfortranarray(ramp((2, 3), "<f4")))
np.save("bool.npy", np.array([True, False]))

# Labels in the forms a user may have.
np.save("labels_f8_integral.npy", np.array([0.0, 2.0, 1.0]))
np.save("labels_f8_fraction.npy", np.array([0.0, 1.5, 1.0]))
np.save("labels_i4_column.npy", np.array([[1], [0], [2]], dtype="<i4"))

# Archives: stored, deflated, a single unnamed array, and one with ZIP64 records throughout.
images, labels = ramp((3, 1, 4, 4), "|u1"), np.array([2, 0, 1], dtype="<i8")
np.savez("xy.npz", x=images, y=labels)
np.savez_compressed("xy_compressed.npz", x=images, y=labels)
np.savez("single.npz", ramp((2, 3), "<f4"))
limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 1, 1  # force ZIP64 extras and end records
np.savez_compressed("xy_zip64.npz", images=images, labels=labels)
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
