//! The scaled users API the synth-speed bench measures: it must synthesize at every N the
//! bench uses, stay under CloudFormation's 500 resources at the largest, and give the same
//! bytes on every build (the bench would otherwise time an error path or a moving target).

#[allow(dead_code)] // `main` and `app` are for the example binary.
#[path = "../examples/users_api_scaled.rs"]
mod example;

#[test]
fn every_bench_size_synthesizes_deterministically_under_the_limit() {
    for n in [1, 10, 70] {
        let template = example::stack(n)
            .synth()
            .expect("the scaled stack synthesizes");
        let again = example::stack(n)
            .synth()
            .expect("the scaled stack synthesizes");
        assert_eq!(template.to_json_pretty(), again.to_json_pretty(), "N={n}");
        let resources = template.json()["Resources"]
            .as_object()
            .expect("a Resources section")
            .len();
        // Per copy: function, role, log group, table, API resource, method, permission;
        // once: the REST API and its deployment.
        assert_eq!(resources, 7 * n + 2, "N={n}");
        assert!(resources < 500, "N={n}: {resources} resources");
    }
}

/// The bench's `cold` group reads `NANOSECONDS BYTES` from the example binary run with
/// `USERS_API_TIME_ONE_SYNTH=1`; the bytes are the whole template's, so the timed work is
/// the whole build, synth and JSON.
#[test]
fn the_timed_synth_times_the_whole_template() {
    for n in [1, 10] {
        let (nanos, bytes) = example::one_timed_synth(n).expect("synthesizes");
        let template = example::stack(n).synth().expect("synthesizes");
        assert_eq!(bytes, template.to_json_pretty().len(), "N={n}");
        assert!(nanos > 0, "N={n}: no time measured");
    }
}
