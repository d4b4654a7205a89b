//! `AWS::Lambda::Function` requires `Code` and `Role`: leaving `Role` out does not compile.
use nephos::lambda::{Function, function::Code};

fn main() {
    let _ = Function::new(Code::new().zip_file("exports.handler = async () => {};"));
}
