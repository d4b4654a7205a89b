//! `Fn::Cidr` makes 1 to 256 blocks: a negative literal count does not compile (the upper
//! bound is a synth error).
fn main() {
    let _ = nephos::cidr("10.0.0.0/16", -4, 8);
}
