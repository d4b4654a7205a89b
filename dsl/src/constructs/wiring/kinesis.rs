//! Kinesis to Lambda: an event source mapping reading a data stream.

use crate::constructs::grants::{self, Target};
use crate::constructs::wiring::stream::StreamTrigger;
use crate::constructs::wiring::{FunctionEnd, event_source};
use crate::lambda::{EventSourceMapping, EventSourceMappingHandle};
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;

/// Invokes `function` with batches of records of `stream` (the resource `source`): the
/// read grant (and its key's) on the function's role, then the mapping
/// `<Function><Stream>Stream`, which waits for the role.
pub fn stream_to(
    stack: &mut Stack,
    stream: &Target<grants::on::Stream>,
    source: &impl Handle,
    function: &impl FunctionEnd,
    trigger: StreamTrigger,
) -> EventSourceMappingHandle {
    grants::kinesis::read(stack, function, stream);
    let id = format!(
        "{}{}Stream",
        function.resource_ref().logical_id(),
        source.resource_ref().logical_id()
    );
    let mapping = EventSourceMapping::new(function.function_name()).event_source_arn(
        stream.arn().clone().cast::<crate::kinds::AmazonMqBrokerArnOrDynamoDbTableStreamArnOrKinesisStreamArnOrStreamConsumerConsumerArnOrMskClusterArnOrServerlessClusterArnOrSqsQueueArn>(),
    );
    let mapping = trigger.apply(stack, &id, function, true, mapping);
    event_source(stack, function, source.resource_ref(), "Stream", mapping)
}
