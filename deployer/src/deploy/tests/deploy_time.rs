//! Values CloudFormation resolves at deploy time (an SSM-typed parameter, whose text is a
//! key) are unknown to the review in every evaluation: a condition on one is unknown, never
//! decided by the key's text (atk12b finding 1).

use super::*;

/// A table whose `Condition` reads an SSM-typed parameter compared with `literal`.
fn gated(literal: &str, condition: bool) -> Value {
    let mut t = json!({
        "Parameters": {"Flag": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/x/flag"}},
        "Conditions": {"On": {"Fn::Equals": [{"Ref": "Flag"}, literal]}},
        "Resources": {"Table": {"Type": TABLE, "Properties": {"TableName": "t"}}}});
    if condition {
        t["Resources"]["Table"]["Condition"] = json!("On");
    }
    t
}

/// The deployed stack: its SSM parameter's deployed value is the key.
fn deployed() -> FakeCfn {
    let mut s = stack(StackStatus::UpdateComplete);
    if let Some(s) = s.as_mut() {
        s.parameters = vec![("Flag".into(), "/x/flag".into())];
    }
    FakeCfn::new(vec![s]).with_template(&gated("/x/flag", false).to_string())
}

#[tokio::test]
async fn a_condition_on_an_ssm_parameter_is_unknown_whatever_its_key_spells() {
    // f4: the key equals the literal (nephos used to call the condition true, an update in
    // place); f2: it does not (nephos used to say "would be removed"). CloudFormation reads
    // the value from Parameter Store: either way the table may be removed.
    for literal in ["/x/flag", "on"] {
        let fake = deployed();
        let opts = DeployOptions {
            direct: true,
            ..strict()
        };
        let (out, r) = deploy(&fake, request(gated(literal, true)), opts, None).await;
        assert!(
            matches!(r, Ok(Outcome::DataLossRefused { .. })),
            "{literal}: {r:?}\n{out}"
        );
        assert!(
            out.contains("condition unknown offline"),
            "{literal}: {out}"
        );
        assert!(!out.contains("would be removed"), "{literal}: {out}");
        assert!(
            out.contains("1 may be removed; 1 data-loss risk"),
            "{literal}: {out}"
        );
        assert!(!fake.writes().contains(&"UpdateStack".to_owned()), "{out}");
    }
}
