//! An RDS proxy's `VpcSubnetIds` takes subnet IDs: security groups' IDs do not go there
//! (it was a plain string list, so it compiled and RDS refused the create).
use nephos::Stack;
use nephos::ec2::SecurityGroup;
use nephos::rds::DbProxy;
use nephos::rds::db_proxy::EngineFamily;

fn main() {
    let mut stack = Stack::new("App");
    let group = stack.add("Group", SecurityGroup::new("db"));
    let _ = DbProxy::new(
        "proxy",
        EngineFamily::Postgresql,
        nephos::Value::<nephos::kinds::IamRoleArn>::literal("arn:aws:iam::123456789012:role/proxy"),
        vec![group.group_id(), group.group_id()],
    );
}
