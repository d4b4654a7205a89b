//! Over the whole bundle: the types of the reviewed conditional-`Ref` table get a typestate
//! (the security group's `Ref` is its ID with `VpcId`, its name without), the generated
//! module spells each state's getter with its kind, and list attributes keep their items'
//! kinds (an ALB's security groups are group IDs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nephos_codegen::model::{ResourceModel, Ty};
use nephos_codegen::{build_all, conditional_ref, emit, schemas};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn models() -> BTreeMap<String, ResourceModel> {
    let schemas = schemas::load(&root().join("dsl/schemas")).expect("vendored schemas");
    let extras = schemas::load_all_extras(&root()).expect("supplement and service spec");
    build_all(&schemas, &extras).expect("builds")
}

#[test]
fn only_the_reviewed_types_have_a_typestate_and_each_state_has_its_getter() {
    let models = models();
    let table = conditional_ref::load(&root()).expect("table");
    let with: Vec<&str> = models
        .values()
        .filter(|m| m.conditional_ref.is_some())
        .map(|m| m.type_name.as_str())
        .collect();
    assert_eq!(with, table.keys().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(with, ["AWS::EC2::SecurityGroup"]);

    let group = &models["AWS::EC2::SecurityGroup"];
    let text = emit::resource_module(group);
    for wanted in [
        "pub struct SecurityGroup<S = nephos::ref_state::Unset>",
        "-> SecurityGroup<nephos::ref_state::Set>",
        "-> SecurityGroup<nephos::ref_state::Unknown>",
        "impl nephos::PropsBuilder for SecurityGroup<nephos::ref_state::Unknown>",
        "type Handle = SecurityGroupHandle<S>;",
        "RefAssumption::of::<S>(\"VpcId\")",
        "impl SecurityGroupHandle<nephos::ref_state::Set> {",
        "pub fn id(&self) -> nephos::Value<nephos::kinds::Ec2SecurityGroupId>",
        "pub fn name(&self) -> nephos::Value<nephos::kinds::Ec2SecurityGroupName>",
        "pub fn id_or_name(&self) -> nephos::Value<nephos::kinds::Ec2SecurityGroupIdOrName>",
    ] {
        assert!(text.contains(wanted), "missing `{wanted}`");
    }
    // `GroupId` stays in every state, and no state offers the plain union `Ref` as `id()`.
    assert!(text.contains("impl<S: nephos::RefState> SecurityGroupHandle<S> {"));
    assert!(
        !text
            .contains("pub fn id(&self) -> nephos::Value<nephos::kinds::Ec2SecurityGroupIdOrName>")
    );
    // Types without an entry are emitted as before: no parameter.
    let vpc = emit::resource_module(&models["AWS::EC2::VPC"]);
    assert!(vpc.contains("pub struct Vpc { props: nephos::Props }"));
}

#[test]
fn list_attributes_keep_their_items_kinds() {
    let models = models();
    let lb = &models["AWS::ElasticLoadBalancingV2::LoadBalancer"];
    let groups = lb
        .attributes
        .iter()
        .find(|a| a.name == "SecurityGroups")
        .expect("SecurityGroups attribute");
    assert_eq!(
        groups.ty,
        Ty::List(Box::new(Ty::Kind("Ec2SecurityGroupId".into())))
    );
    // Counted over the bundle (`--nocapture`): list attributes whose items are typed.
    let typed: usize = models
        .values()
        .flat_map(|m| &m.attributes)
        .filter(|a| matches!(&a.ty, Ty::List(item) if matches!(**item, Ty::Kind(_))))
        .count();
    println!("list attributes with typed items: {typed}");
    assert!(typed >= 1);
}
