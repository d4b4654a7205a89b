//! Per-stack regions: each stack is acted on in the region its manifest names (else the
//! command's region), with one set of clients per region, built only for the regions the
//! selected stacks use and kept for the whole command. A stack's identity is (region, name):
//! the same stack name in two regions is two stacks.

use std::collections::BTreeMap;

use crate::aws::{Clients, connect};
use crate::cfn::halt::Halting;
use crate::cfn::lambda::Lambda;
use crate::cfn::seam::{CloudFormation, Iam, Staging};
use crate::context::{Backends, Context};
use crate::deploy::interrupt::Interrupt;
use crate::error::Result;
use crate::output::Format;

/// The clients of the regions other than the command's own, keyed by region.
#[derive(Default)]
pub struct RegionalClients(BTreeMap<String, Regional>);

/// One region's clients, every write that starts a change refused after Ctrl-C
/// ([`Halting`]), as the command's own region's are.
struct Regional {
    cfn: Halting<Box<dyn CloudFormation>>,
    staging: Halting<Box<dyn Staging>>,
    iam: Box<dyn Iam>,
    lambda: Halting<Box<dyn Lambda>>,
}

impl Regional {
    fn guard(c: Clients, interrupt: &Interrupt) -> Self {
        Self {
            cfn: Halting::new(Box::new(c.cloudformation().clone()), interrupt.clone()),
            staging: Halting::new(Box::new(c.staging), interrupt.clone()),
            iam: Box::new(c.iam),
            lambda: Halting::new(Box::new(c.lambda), interrupt.clone()),
        }
    }
}

impl RegionalClients {
    /// Connects, with the command's credentials, profile and endpoint settings, once for
    /// each region in `regions` that is not `default_region`. With injected backends
    /// (tests) nothing is connected: the fakes answer for every region.
    pub async fn connect<'r>(
        ctx: &Context<'_>,
        default_region: &str,
        regions: impl IntoIterator<Item = &'r str>,
    ) -> Result<Self> {
        let mut out = BTreeMap::new();
        if ctx.backends.is_some() {
            return Ok(Self(out));
        }
        for r in regions {
            if r == default_region || out.contains_key(r) {
                continue;
            }
            let mut settings = ctx.aws.clone();
            settings.region = Some(r.to_owned());
            let clients = connect(&settings).await?;
            out.insert(r.to_owned(), Regional::guard(clients, &ctx.interrupt));
        }
        Ok(Self(out))
    }

    /// The backends acting in `region` (`None`: the command's own, `default`).
    pub fn backends<'a>(&'a self, default: Backends<'a>, region: Option<&str>) -> Backends<'a> {
        match region.and_then(|r| self.0.get(r)) {
            Some(c) => Backends {
                cfn: &c.cfn,
                staging: &c.staging,
                iam: c.iam.as_ref(),
            },
            None => default,
        }
    }

    /// The Lambda client for a stack in `region` (`deploy --hotswap`): the region's own, or
    /// `default`'s for the default region.
    pub fn lambda<'a>(
        &'a self,
        default: Option<&'a dyn Lambda>,
        region: Option<&str>,
    ) -> Option<&'a dyn Lambda> {
        match region.and_then(|r| self.0.get(r)) {
            Some(c) => Some(&c.lambda),
            None => default,
        }
    }
}

/// The regions of `stacks` other than `default_region`, each once, in order.
pub fn other_regions<'s>(
    regions: impl IntoIterator<Item = Option<&'s str>>,
    default_region: &str,
) -> Vec<&'s str> {
    let mut out: Vec<&str> = regions
        .into_iter()
        .flatten()
        .filter(|r| *r != default_region)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Connects the other regions of the selected stacks and states each one's account and
/// region, as the command's own region was stated, before anything is reviewed or changed.
pub async fn connect_and_state<'s>(
    ctx: &mut Context<'_>,
    format: Format,
    default: Backends<'_>,
    regions: impl IntoIterator<Item = Option<&'s str>>,
) -> Result<RegionalClients> {
    let default_region = default.staging.region();
    let others = other_regions(regions, &default_region);
    let clients = RegionalClients::connect(ctx, &default_region, others.iter().copied()).await?;
    for r in others {
        let b = clients.backends(default, Some(r));
        super::target_header(format, ctx, b, r).await?;
    }
    Ok(clients)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_regions_are_each_named_once_without_the_commands_own() {
        let r = other_regions(
            [
                Some("eu-west-1"),
                None,
                Some("us-east-1"),
                Some("ap-south-1"),
                Some("eu-west-1"),
            ],
            "us-east-1",
        );
        assert_eq!(r, ["ap-south-1", "eu-west-1"]);
    }
}
