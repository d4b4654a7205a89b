//! `Fn::Select` indexes from 0: a negative literal index does not compile.
use nephos::Value;
use nephos::kind::Str;

fn main() {
    let _: Value<Str> = nephos::select(-1, nephos::get_azs(""));
}
