//! Template assertions for users' own tests: find resources by type and (partial)
//! properties, count them, read outputs, and check the template is cycle-free.

mod matcher;
mod refs;

use serde_json::Value as J;

use crate::stack::stack::Stack;

/// A synthesized template, ready for assertions. Assertion methods panic with a message
/// that shows what was expected and what the template has, as test assertions do.
///
/// ```
/// use nephos::{RawResource, Stack, assertions::Assertions};
/// let mut stack = Stack::new("App");
/// stack.add("Jobs", RawResource::new("AWS::SQS::Queue").property("VisibilityTimeout", 60));
/// let t = Assertions::from_stack(&stack);
/// t.resource_count_is("AWS::SQS::Queue", 1);
/// t.has_resource_properties("AWS::SQS::Queue", serde_json::json!({"VisibilityTimeout": 60}));
/// t.assert_no_cycles();
/// ```
#[derive(Clone, Debug)]
pub struct Assertions {
    template: J,
}

impl Assertions {
    /// Synthesizes `stack`; panics with every synth error if it does not synthesize.
    pub fn from_stack(stack: &Stack) -> Self {
        match stack.synth() {
            Ok(t) => Assertions {
                template: t.json().clone(),
            },
            Err(e) => panic!("{e}"),
        }
    }

    /// Wraps an already synthesized (or hand-written) template.
    pub fn from_json(template: J) -> Self {
        Assertions { template }
    }

    /// The template.
    pub fn json(&self) -> &J {
        &self.template
    }

    /// The resources of `type_name` whose properties match `properties` partially
    /// (objects by the keys given, at every depth), with their logical IDs.
    pub fn find_resources(&self, type_name: &str, properties: J) -> Vec<(&str, &J)> {
        let empty = J::Object(Default::default());
        self.template
            .get("Resources")
            .and_then(J::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, r)| r["Type"] == type_name)
            .filter(|(_, r)| matcher::matches(&properties, r.get("Properties").unwrap_or(&empty)))
            .map(|(id, r)| (id.as_str(), r))
            .collect()
    }

    /// Asserts the template has exactly `count` resources of `type_name`.
    pub fn resource_count_is(&self, type_name: &str, count: usize) {
        let found = self.find_resources(type_name, J::Object(Default::default()));
        assert_eq!(
            found.len(),
            count,
            "expected {count} resources of type {type_name}, found {}: {:?}",
            found.len(),
            found.iter().map(|(id, _)| *id).collect::<Vec<_>>()
        );
    }

    /// Asserts some resource of `type_name` has properties matching `properties`.
    pub fn has_resource_properties(&self, type_name: &str, properties: J) {
        if self
            .find_resources(type_name, properties.clone())
            .is_empty()
        {
            let candidates: Vec<(&str, &J)> =
                self.find_resources(type_name, J::Object(Default::default()));
            panic!(
                "no {type_name} has properties matching\n{}\ncandidates:\n{}",
                serde_json::to_string_pretty(&properties).unwrap_or_default(),
                candidates
                    .iter()
                    .map(|(id, r)| format!("{id}: {}", r.get("Properties").unwrap_or(&J::Null)))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }

    /// Asserts some resource of `type_name` matches `resource` as a whole entry
    /// (`Properties`, `DependsOn`, `DeletionPolicy`, ...), partially.
    pub fn has_resource(&self, type_name: &str, resource: J) {
        let found = self
            .find_resources(type_name, J::Object(Default::default()))
            .into_iter()
            .any(|(_, r)| matcher::matches(&resource, r));
        assert!(found, "no {type_name} matches {resource}");
    }

    /// The output `id`, if the template has it.
    pub fn output(&self, id: &str) -> Option<&J> {
        self.template.get("Outputs").and_then(|o| o.get(id))
    }

    /// Asserts the output `id` exists and matches `expected` partially.
    pub fn has_output(&self, id: &str, expected: J) {
        match self.output(id) {
            Some(o) => assert!(
                matcher::matches(&expected, o),
                "output {id} is {o}, expected {expected}"
            ),
            None => panic!("the template has no output {id}"),
        }
    }

    /// The logical IDs a resource depends on, through references and `DependsOn`.
    pub fn dependencies_of(&self, id: &str) -> Vec<String> {
        refs::graph(&self.template)
            .depends_on(id)
            .map(str::to_string)
            .collect()
    }

    /// Asserts no dependency cycle exists between the template's resources.
    pub fn assert_no_cycles(&self) {
        let g = refs::graph(&self.template);
        let cycles = g.cycles();
        assert!(
            cycles.is_empty(),
            "dependency cycles:\n{}",
            cycles
                .iter()
                .map(|c| g.describe(c))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
