//! The Elastic Load Balancing v2 load balancer type: Application, Network and Gateway Load
//! Balancers are one CloudFormation type told apart by its `Type` property, so what each
//! kind accepts (a web ACL, a listener protocol) can be checked only at synth.

/// The load balancer type whose `Type` says which (`application`, the default, `network`
/// or `gateway`: `AWS::ElasticLoadBalancingV2::LoadBalancer`, `Type`).
pub(super) const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
