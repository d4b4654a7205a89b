//! `Fn::If` takes only a declared condition's handle, never a name.
use nephos::{Value, fn_if, kind::Int};

fn main() {
    let _: Value<Int> = fn_if("IsProd", 1024, 256);
}
