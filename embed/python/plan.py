"""plan from Python: ctypes over libplan's C API (include/plan/plan.h).

    import plan
    s = plan.Session()
    w = s.eval("70e9 * 2 B -> GiB")
    w.value, w.unit, w.display        # 140000000000.0, 'GiB', '130.385 GiB'

Quantities come back as plan.Quantity (value in SI base units, unit, dimension, display),
booleans, strings and lists as Python's, records as dicts. Errors raise plan.Error with the file,
line, column, code and rendered message of the first error. libplan is found at $PLAN_LIBRARY, or
as libplan.so beside this file or on the loader's path.
"""
import ctypes
import os

_here = os.path.dirname(os.path.abspath(__file__))
_lib = ctypes.CDLL(os.environ.get("PLAN_LIBRARY") or (os.path.join(_here, "libplan.so") if os.path.exists(os.path.join(_here, "libplan.so")) else "libplan.so"))

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_N = ctypes.c_size_t
for name, res, args in [
    ("plan_version", _S, []),
    ("plan_session_new", _P, []),
    ("plan_session_free", None, [_P]),
    ("plan_eval", ctypes.c_int, [_P, _S, _S, ctypes.POINTER(_P)]),
    ("plan_set", ctypes.c_int, [_P, _S, _P]),
    ("plan_call", ctypes.c_int, [_P, _S, ctypes.POINTER(_P), _N, ctypes.POINTER(_S), ctypes.POINTER(_P), _N, ctypes.POINTER(_P)]),
    ("plan_error_count", _N, [_P]),
    ("plan_error_code", _S, [_P, _N]),
    ("plan_error_message", _S, [_P, _N]),
    ("plan_error_file", _S, [_P, _N]),
    ("plan_error_line", ctypes.c_int, [_P, _N]),
    ("plan_error_column", ctypes.c_int, [_P, _N]),
    ("plan_error_rendered", _S, [_P, _N]),
    ("plan_value_quantity", _P, [ctypes.c_double, _S]),
    ("plan_value_bool", _P, [ctypes.c_int]),
    ("plan_value_string", _P, [_S]),
    ("plan_value_list", _P, [ctypes.POINTER(_P), _N]),
    ("plan_value_record", _P, [ctypes.POINTER(_S), ctypes.POINTER(_P), _N]),
    ("plan_value_copy", _P, [_P]),
    ("plan_value_free", None, [_P]),
    ("plan_value_kind", ctypes.c_int, [_P]),
    ("plan_value_si", ctypes.c_double, [_P]),
    ("plan_value_amount", ctypes.c_double, [_P]),
    ("plan_value_unit", _S, [_P]),
    ("plan_value_dimension", _S, [_P]),
    ("plan_value_bool_of", ctypes.c_int, [_P]),
    ("plan_value_text", _S, [_P]),
    ("plan_value_display", _S, [_P]),
    ("plan_value_count", _N, [_P]),
    ("plan_value_item", _P, [_P, _N]),
    ("plan_value_field_name", _S, [_P, _N]),
    ("plan_define_function", ctypes.c_int, [_P, _S, _S, _P, _P]),
    ("plan_sweep_report_count", _N, [_P]),
    ("plan_sweep_report_kind", _S, [_P, _N]),
    ("plan_sweep_report_sweep", _S, [_P, _N]),
    ("plan_sweep_row_count", _N, [_P, _N]),
    ("plan_sweep_row", _P, [_P, _N, _N]),
    ("plan_session_on_row", ctypes.c_int, [_P, _P, _P]),
    ("plan_cancel", None, [_P]),
]:
    f = getattr(_lib, name)
    f.restype = res
    f.argtypes = args


# int function(void* user, const plan_value* const* args, size_t count, plan_value** result, const char** error)
_HostFunction = ctypes.CFUNCTYPE(ctypes.c_int, _P, ctypes.POINTER(_P), _N, ctypes.POINTER(_P), ctypes.POINTER(_S))
# int callback(void* user, const plan_value* row)
_RowCallback = ctypes.CFUNCTYPE(ctypes.c_int, _P, _P)


def _text(b):
    return b.decode("utf-8") if b is not None else ""


class Error(Exception):
    """A plan error: code ("E0201"), message, file, line, column, rendered (with carets)."""

    def __init__(self, session):
        self.code = _text(_lib.plan_error_code(session, 0))
        self.message = _text(_lib.plan_error_message(session, 0))
        self.file = _text(_lib.plan_error_file(session, 0))
        self.line = _lib.plan_error_line(session, 0)
        self.column = _lib.plan_error_column(session, 0)
        self.rendered = _text(_lib.plan_error_rendered(session, 0))
        super().__init__(self.rendered.rstrip("\n"))


class Quantity:
    """A number with a dimension: value in SI base units, its display unit and text."""

    def __init__(self, value, unit, dimension="", display="", amount=None):
        self.value, self.unit, self.dimension, self.display = value, unit, dimension, display
        self.amount = value if amount is None else amount  # the value in `unit`

    def __repr__(self):
        return f"Quantity({self.display or self.value!r})"

    def __float__(self):
        return self.value


def quantity(amount, unit):
    """A quantity of `amount` in `unit` to pass to plan: quantity(80, "GiB")."""
    return Quantity(None, unit, amount=amount)


def _from_c(v):
    kind = _lib.plan_value_kind(v)
    if kind == 0:
        return Quantity(_lib.plan_value_si(v), _text(_lib.plan_value_unit(v)), _text(_lib.plan_value_dimension(v)),
                        _text(_lib.plan_value_display(v)), _lib.plan_value_amount(v))
    if kind == 1:
        return bool(_lib.plan_value_bool_of(v))
    if kind == 2:
        return _text(_lib.plan_value_text(v))
    items = [_from_c(_lib.plan_value_item(v, i)) for i in range(_lib.plan_value_count(v))]
    if kind == 3:
        return items
    return {_text(_lib.plan_value_field_name(v, i)): item for i, item in enumerate(items)}


def _to_c(x):
    """A new plan_value (the caller frees it)."""
    if isinstance(x, bool):
        return _lib.plan_value_bool(int(x))
    if isinstance(x, (int, float)):
        return _lib.plan_value_quantity(float(x), b"")
    if isinstance(x, Quantity):  # its amount in its unit (a result's: within an ulp of its SI value)
        return _lib.plan_value_quantity(float(x.amount), x.unit.encode())
    if isinstance(x, str):
        return _lib.plan_value_string(x.encode())
    if isinstance(x, (list, tuple)):
        parts = [_to_c(i) for i in x]
        v = _lib.plan_value_list((_P * len(parts))(*parts), len(parts))
        for p in parts:
            _lib.plan_value_free(p)
        return v
    if isinstance(x, dict):
        names = [k.encode() for k in x]
        parts = [_to_c(i) for i in x.values()]
        v = _lib.plan_value_record((_S * len(names))(*names), (_P * len(parts))(*parts), len(parts))
        for p in parts:
            _lib.plan_value_free(p)
        return v
    raise TypeError(f"plan cannot take a {type(x).__name__}")


class Report:
    """One report of a sweep: kind ("top", "pareto", "all"), sweep (its name or ""), rows (dicts of
    its columns, in the order the CLI prints them)."""

    def __init__(self, kind, sweep, rows):
        self.kind, self.sweep, self.rows = kind, sweep, rows

    def __repr__(self):
        return f"Report({self.kind!r}, {len(self.rows)} rows)"


class Session:
    """A plan session: definitions persist between calls; a call that fails leaves nothing behind.

    on_row: a function given each row of a sweep's `report all` (a dict), in enumeration order,
    instead of keeping it in sweeps(); an exception it raises stops the program (E0560)."""

    def __init__(self, on_row=None):
        self._s = _lib.plan_session_new()
        if not self._s:
            raise RuntimeError("plan: the session did not start")
        self._keep = []  # the ctypes callbacks the library holds, alive as long as the session
        if on_row is not None:
            def row(user, v):
                try:
                    on_row(_from_c(v))
                    return 0
                except Exception:  # noqa: BLE001 - any failure of the host's callback stops the sweep
                    return 1
            callback = _RowCallback(row)
            self._keep.append(callback)
            _lib.plan_session_on_row(self._s, ctypes.cast(callback, _P), None)

    def define_function(self, signature, doc, function):
        """Defines a function plan code calls like its own, checked against `signature`, a plan
        function header that types every parameter and the result:
        s.define_function("gpu_cost(gpu: String, hours: Time): Money", "doc", cost).
        `function` gets the arguments as eval returns values and returns one of the result type
        (plan.quantity(2.5, "USD")); an exception it raises is a runtime error (E0560) at the call."""
        errors = []

        def call(user, args, count, result, error):
            try:
                value = function(*[_from_c(args[i]) for i in range(count)])
                result[0] = _to_c(value)
                return 0
            except Exception as e:  # noqa: BLE001 - the message goes to plan's error at the call
                errors.clear()
                errors.append(ctypes.create_string_buffer(str(e).encode()))
                error[0] = ctypes.cast(errors[0], _S)
                return 1

        callback = _HostFunction(call)
        self._keep.append((callback, errors))
        if _lib.plan_define_function(self._s, signature.encode(), doc.encode(), ctypes.cast(callback, _P), None) != 0:
            raise Error(self._s)

    def sweeps(self):
        """The reports of the sweeps the last eval ran (after a cancel too: the rows found so far)."""
        out = []
        for r in range(_lib.plan_sweep_report_count(self._s)):
            rows = [_from_c(_lib.plan_sweep_row(self._s, r, i)) for i in range(_lib.plan_sweep_row_count(self._s, r))]
            out.append(Report(_text(_lib.plan_sweep_report_kind(self._s, r)), _text(_lib.plan_sweep_report_sweep(self._s, r)), rows))
        return out

    def cancel(self):
        """Stops the evaluation or sweep this session runs (from another thread), or the next one (E0562)."""
        _lib.plan_cancel(self._s)

    def __del__(self):
        if getattr(self, "_s", None):
            _lib.plan_session_free(self._s)
            self._s = None

    def _result(self, status, out):
        if status != 0:
            raise Error(self._s)
        if not out.value:
            return None
        try:
            return _from_c(out.value)
        finally:
            _lib.plan_value_free(out.value)

    def eval(self, code, name="<python>"):
        """Runs plan code; returns the value of its last bare expression (or None)."""
        out = _P()
        return self._result(_lib.plan_eval(self._s, code.encode(), name.encode(), ctypes.byref(out)), out)

    def set(self, name, value):
        """Binds `name` as `let` would: numbers are Scalars, quantity(80, "GiB") a Data."""
        v = _to_c(value)
        try:
            if _lib.plan_set(self._s, name.encode(), v) != 0:
                raise Error(self._s)
        finally:
            _lib.plan_value_free(v)

    def call(self, function, *args, **named):
        """Calls a plan function: s.call("stage_params", model, tp=8)."""
        pos = [_to_c(a) for a in args]
        keys = [k.encode() for k in named]
        vals = [_to_c(v) for v in named.values()]
        out = _P()
        try:
            status = _lib.plan_call(self._s, function.encode(), (_P * len(pos))(*pos), len(pos), (_S * len(keys))(*keys),
                                    (_P * len(vals))(*vals), len(vals), ctypes.byref(out))
            return self._result(status, out)
        finally:
            for p in pos + vals:
                _lib.plan_value_free(p)


def version():
    return _text(_lib.plan_version())
