//! A port attribute the registry schema types as a string (`AWS::RDS::DBInstance`
//! `Endpoint.Port`, 16 in all) converts into an integer property: CloudFormation converts a
//! numeric string, and AWS's sample templates open a database's port with
//! `FromPort: !GetAtt MyDB.Endpoint.Port` (atk13b F6). No other string attribute does
//! (`nephos::kind::NumericString`, marked by nephos-codegen's `numeric_strings`).

use std::marker::PhantomData;

use nephos::kind::Int;
use nephos::{IntoValue, Value};

/// Whether `Value<K>` converts into `Value<Int>`, answered at compile time (autoref
/// specialization: the by-value impl applies only where the bound holds).
struct Probe<K>(PhantomData<K>);
trait Converts {
    fn converts(&self) -> bool {
        true
    }
}
impl<K> Converts for Probe<K> where Value<K>: IntoValue<Int> {}
trait DoesNot {
    fn converts(&self) -> bool {
        false
    }
}
impl<K> DoesNot for &Probe<K> {}

macro_rules! converts {
    ($k:ty) => {
        (&Probe::<$k>(PhantomData)).converts()
    };
}

#[test]
fn port_attributes_convert_into_int_and_other_strings_do_not() {
    use nephos::kinds::*;
    assert!(converts!(RdsDbInstanceEndpointPort));
    assert!(converts!(RdsDbInstanceListenerEndpointPort));
    assert!(converts!(RdsDbClusterEndpointPort));
    assert!(converts!(DocDbDbInstancePort));
    assert!(converts!(NeptuneDbClusterPort));
    assert!(converts!(NeptuneDbInstancePort));
    assert!(converts!(ElastiCacheCacheClusterRedisEndpointPort));
    assert!(converts!(ElastiCacheCacheClusterConfigurationEndpointPort));
    assert!(converts!(ElastiCacheReplicationGroupPrimaryEndPointPort));
    assert!(converts!(ElastiCacheReplicationGroupReaderEndPointPort));
    assert!(converts!(
        ElastiCacheReplicationGroupConfigurationEndPointPort
    ));
    assert!(converts!(ElastiCacheServerlessCacheEndpointPort));
    assert!(converts!(ElastiCacheServerlessCacheReaderEndpointPort));
    assert!(converts!(RedshiftClusterEndpointPort));
    assert!(converts!(MediaConnectFlowSourceSourceIngestPort));
    assert!(converts!(MediaConnectFlowFlowSourceSourceIngestPort));
    // Strings that are no number stay out of integer properties.
    assert!(!converts!(RdsDbInstanceEndpointAddress));
    assert!(!converts!(RdsDbInstanceEndpointHostedZoneId));
    assert!(!converts!(IamRoleArn));
    assert!(!converts!(nephos::kind::Str));
    assert!(converts!(Int));
}

/// The wiring itself: a security group rule opening the database's port, synthesized and
/// linted (`--features rds,ec2`).
#[cfg(all(feature = "rds", feature = "ec2"))]
mod lint_support;

#[cfg(all(feature = "rds", feature = "ec2"))]
#[test]
fn a_database_port_opens_a_security_group_rule_and_lints_clean() {
    use nephos::Stack;
    let mut stack = Stack::new("App");
    let group = stack.add(
        "DbGroup",
        nephos::ec2::SecurityGroup::new("database clients"),
    );
    let db = stack.add(
        "Db",
        nephos::rds::DbInstance::new()
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage("20")
            .master_username("app")
            .manage_master_user_password(true)
            .add_vpc_security_groups(group.group_id()),
    );
    stack.add(
        "FromApp",
        nephos::ec2::SecurityGroupIngress::new("tcp")
            .group_id(group.group_id())
            .cidr_ip("10.0.0.0/16")
            .from_port(db.endpoint_port())
            .to_port(db.endpoint_port()),
    );
    let template = stack.synth().expect("synthesizes");
    assert_eq!(
        template.json()["Resources"]["FromApp"]["Properties"]["FromPort"],
        serde_json::json!({"Fn::GetAtt": ["Db", "Endpoint.Port"]})
    );
    let found = lint_support::findings(&[&stack]);
    assert!(found.is_empty(), "{found:#?}");
}
