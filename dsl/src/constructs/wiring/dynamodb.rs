//! DynamoDB Streams to Lambda: an event source mapping reading a table's stream.

use crate::constructs::grants::{self, table::TableTarget};
use crate::constructs::wiring::stream::StreamTrigger;
use crate::constructs::wiring::{FunctionEnd, event_source};
use crate::kind::Str;
use crate::lambda::{EventSourceMapping, EventSourceMappingHandle};
use crate::stack::handle::Handle;
use crate::stack::stack::Stack;
use crate::value::value::IntoValue;

/// The event source mapping `<Function><Table>Stream` from the stream `stream_arn` of
/// `table` to `function`, waiting for the function's role. It needs the stream-read
/// grant: [`stream_to`] adds both.
pub fn map_stream(
    stack: &mut Stack,
    table: &impl Handle,
    stream_arn: impl IntoValue<Str>,
    function: &impl FunctionEnd,
    trigger: StreamTrigger,
) -> EventSourceMappingHandle {
    let id = format!(
        "{}{}Stream",
        function.resource_ref().logical_id(),
        table.resource_ref().logical_id()
    );
    let mapping = EventSourceMapping::new(function.function_name())
        // A table's stream ARN, which the callers give.
        .event_source_arn(
            stream_arn
                .into_value()
                .cast::<crate::kinds::AmazonMqBrokerArnOrDynamoDbTableStreamArnOrKinesisStreamArnOrStreamConsumerConsumerArnOrMskClusterArnOrServerlessClusterArnOrSqsQueueArn>(),
        );
    let mapping = trigger.apply(stack, &id, function, false, mapping);
    event_source(stack, function, table.resource_ref(), "Stream", mapping)
}

/// Invokes `function` with batches of stream records of `table` (the resource `source`):
/// the stream-read grant, then the mapping. `None`, with a synth error naming the table,
/// when the target has no stream.
pub fn stream_to(
    stack: &mut Stack,
    table: &TableTarget,
    source: &impl Handle,
    function: &impl FunctionEnd,
    trigger: StreamTrigger,
) -> Option<EventSourceMappingHandle> {
    // Without a stream the grant reports the synth error, and nothing is mapped.
    grants::table::stream_read(stack, function, table);
    let stream = table.stream_arn()?.clone();
    Some(map_stream(stack, source, stream, function, trigger))
}
