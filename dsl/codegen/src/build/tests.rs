use super::*;
use serde_json::json;

fn model(schema: Value, extras: &Extras) -> ResourceModel {
    build("AWS::Test::Thing", &schema, extras).expect("builds")
}

fn field<'m>(m: &'m ResourceModel, owner: Option<&str>, name: &str) -> &'m Field {
    let fields = match owner {
        None => &m.fields,
        Some(s) => {
            &m.structs
                .iter()
                .find(|d| d.name == s)
                .expect("struct")
                .fields
        }
    };
    fields.iter().find(|f| f.name == name).expect("field")
}

#[test]
fn a_value_or_a_list_of_values_is_the_list() {
    let m = model(
        json!({"properties": {"TopicARN": {"type": ["string", "array"],
            "items": {"type": "string", "format": "AWS::SNS::Topic.Arn"}}}}),
        &Extras::default(),
    );
    assert_eq!(
        field(&m, None, "TopicARN").ty,
        Ty::List(Box::new(Ty::Kind("SnsTopicArn".into())))
    );
}

/// A format naming the type's own attribute is the resource's own name at the top
/// level (left a string), and another resource of the type deeper down (typed): a
/// security group rule's `SourceSecurityGroupId` names another group.
#[test]
fn an_own_type_format_is_typed_below_the_top_level() {
    let m = model(
        json!({"definitions": {"Rule": {"type": "object", "properties": {
                 "SourceThingId": {"type": "string", "format": "AWS::Test::Thing.Id"}}}},
               "properties": {
                 "ThingName": {"type": "string", "format": "AWS::Test::Thing.Name"},
                 "Rules": {"type": "array", "items": {"$ref": "#/definitions/Rule"}}}}),
        &Extras::default(),
    );
    assert_eq!(field(&m, None, "ThingName").ty, Ty::Str);
    assert_eq!(
        field(&m, Some("Rule"), "SourceThingId").ty,
        Ty::Kind("TestThingId".into())
    );
    assert!(names_itself(Some("/properties/BucketName")) && names_itself(None));
    assert!(!names_itself(Some(
        "/properties/Ingress/*/SourceSecurityGroupId"
    )));
}

#[test]
fn a_format_beside_a_ref_types_the_string() {
    let m = model(
        json!({"definitions": {"Id": {"type": "string", "maxLength": 44},
               "Target": {"type": "object", "properties": {"HostedZoneId":
                 {"$ref": "#/definitions/Id", "format": "AWS::Route53::HostedZone.Id"}}}},
               "properties": {"Target": {"$ref": "#/definitions/Target"},
                              "Plain": {"$ref": "#/definitions/Id"}}}),
        &Extras::default(),
    );
    assert_eq!(
        field(&m, Some("Target"), "HostedZoneId").ty,
        Ty::Kind("Route53HostedZoneId".into())
    );
    // The shared definition itself stays a plain string elsewhere.
    assert_eq!(field(&m, None, "Plain").ty, Ty::Str);
}

#[test]
fn getters_name_only_gettable_attributes() {
    let schema = json!({
        "definitions": {"Endpoint": {"type": "object", "properties": {
            "Address": {"type": "string"}, "Port": {"type": "string"}}}},
        "properties": {
            "Name": {"type": "string"},
            "Endpoint": {"$ref": "#/definitions/Endpoint"},
            "Replicas": {"type": "array", "items": {"type": "object",
                "properties": {"Arn": {"type": "string"}}}}},
        "readOnlyProperties": ["/properties/Endpoint", "/properties/Replicas/*/Arn"],
        "primaryIdentifier": ["/properties/Name"]});
    let mut extras = Extras::default();
    extras
        .attributes
        .insert("AWS::Test::Thing".into(), vec!["Id".into()]);
    // No GetAtt table: the object is read through its members, never inside a list.
    let names = |m: &ResourceModel| -> Vec<String> {
        m.attributes.iter().map(|a| a.name.clone()).collect()
    };
    let m = model(schema.clone(), &extras);
    assert_eq!(
        names(&m),
        ["Endpoint", "Endpoint.Address", "Endpoint.Port", "Id"]
    );
    assert_eq!(m.attributes[1].method, "endpoint_address");
    // With the table, only the names it holds remain (`Id` from the spec does not).
    extras.getatts.insert(
        "AWS::Test::Thing".into(),
        ["Endpoint.Address", "Endpoint.Port"]
            .map(String::from)
            .into(),
    );
    assert_eq!(
        names(&model(schema.clone(), &extras)),
        ["Endpoint.Address", "Endpoint.Port"]
    );
    // A table without the type offers nothing.
    extras.getatts = BTreeMap::from([("AWS::Other::Thing".into(), BTreeSet::new())]);
    assert!(names(&model(schema, &extras)).is_empty());
}

/// The ARN-name rule (`crate::arn_names`): a plain string or list of strings named
/// `...Arn`/`...ARN`/`...Arns` takes `AnyArn`, after every other rule and not where a
/// reviewed exclusion holds it back; an exclusion that holds back nothing stops the build.
#[test]
fn arn_named_strings_take_any_arn_unless_excluded() {
    let schema = json!({
        "definitions": {"Redrive": {"type": "object", "properties": {
            "deadLetterTargetArn": {"type": "string"},
            "RuleARN": {"type": "string"}}}},
        "properties": {
            "Redrive": {"$ref": "#/definitions/Redrive"},
            "NotificationARNs": {"type": "array", "items": {"type": "string"}},
            "RoleArn": {"type": "string", "format": "AWS::IAM::Role.Arn"},
            "Mode": {"type": "string", "enum": ["A", "B"]},
            "Learn": {"type": "integer"},
            "Name": {"type": "string"}}});
    let any = || Ty::Kind(crate::any_arn::ANY_ARN_KIND.into());
    let mut extras = Extras::default();
    let m = model(schema.clone(), &extras);
    assert_eq!(field(&m, Some("Redrive"), "deadLetterTargetArn").ty, any());
    assert_eq!(field(&m, Some("Redrive"), "RuleARN").ty, any());
    assert_eq!(
        field(&m, None, "NotificationARNs").ty,
        Ty::List(Box::new(any()))
    );
    // Another rule's kind stays; other types and names are left alone.
    assert_eq!(field(&m, None, "RoleArn").ty, Ty::Kind("IamRoleArn".into()));
    assert_eq!(field(&m, None, "Name").ty, Ty::Str);
    // Without the generic kinds (the same-name rule's first pass) it stays plain.
    let plain = build_with("AWS::Test::Thing", &schema, &extras, false).unwrap();
    assert_eq!(
        field(&plain, Some("Redrive"), "deadLetterTargetArn").ty,
        Ty::Str
    );
    // A reviewed exclusion keeps its property a plain string.
    let exclusion = |pointer: &str| crate::arn_names::Exclusion {
        pointer: pointer.into(),
        admits: "name".into(),
    };
    extras.arn_name_exclusions.insert(
        "AWS::Test::Thing".into(),
        vec![exclusion("/definitions/Redrive/properties/RuleARN")],
    );
    let m = model(schema.clone(), &extras);
    assert_eq!(field(&m, Some("Redrive"), "RuleARN").ty, Ty::Str);
    assert_eq!(field(&m, Some("Redrive"), "deadLetterTargetArn").ty, any());
    // One that names no property, or a property another rule types, stops the build.
    for idle in ["/properties/Gone", "/properties/RoleArn"] {
        extras
            .arn_name_exclusions
            .insert("AWS::Test::Thing".into(), vec![exclusion(idle)]);
        let err = build("AWS::Test::Thing", &schema, &extras).unwrap_err();
        assert!(err.contains(idle) && err.contains("review"), "{err}");
    }
}
