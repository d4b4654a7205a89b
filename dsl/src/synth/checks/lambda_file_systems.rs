//! A Lambda function that mounts an EFS file system (`FileSystemConfigs`) outside a VPC.
//! Lambda reaches the file system only through its mount targets, from the function's
//! network interfaces in the VPC's subnets ("Configuring file system access for Lambda
//! functions", <https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html>:
//! "Create a file system in Amazon EFS with a mount target in every Availability Zone
//! that your function connects to", and the execution role needs "the permissions
//! required to connect to the file system's VPC"), and refuses a file system on a function
//! that is connected to no VPC, so the create fails at deploy.
//!
//! Reported when the function has at least one file system configuration and its
//! `VpcConfig` is absent, `AWS::NoValue`, or has literally no subnets. The template is
//! read, so the `Function` construct (through `configure`) and the generated
//! `lambda::Function` are checked alike; a computed `VpcConfig` is let through.

use crate::diagnostic::{Diagnostic, Location};
use crate::synth::by_type::Resources;
use crate::value::expr::{Expr, field};

/// Checks every `AWS::Lambda::Function` with `FileSystemConfigs`.
pub(super) fn check(resources: &Resources, diags: &mut Vec<Diagnostic>) {
    for r in resources.of_type("AWS::Lambda::Function") {
        if r.list("FileSystemConfigs").is_empty() {
            continue;
        }
        let outside = match r.field("VpcConfig") {
            None | Some(Expr::NoValue) => true,
            Some(vpc @ Expr::Object(_)) => match field(vpc, "SubnetIds") {
                None | Some(Expr::NoValue) => true,
                Some(Expr::Array(subnets)) => subnets.is_empty(),
                Some(_) => false,
            },
            Some(_) => false,
        };
        if !outside {
            continue;
        }
        let id = &*r.entry.target.id;
        diags.push(Diagnostic::error(
            Location::property(id, "FileSystemConfigs"),
            format!(
                "function `{id}` mounts an EFS file system but is connected to no VPC: Lambda reaches a file system only through its mount targets, from the function's subnets, and refuses the function (AWS Lambda Developer Guide, \"Configuring file system access for Lambda functions\")"
            ),
            "connect the function to the VPC of the file system's mount targets (`VpcConfig` with subnets in their Availability Zones and a security group allowing NFS, port 2049; `.vpc(subnets, groups)` on the `Function` construct)",
        ));
    }
}
