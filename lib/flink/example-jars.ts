// The example jobs that ship in the official Flink image (flink-docker unpacks the binary
// distribution to /opt/flink), offered for the jar URI in application mode.
//
// flink-dist's bin assembly copies the jars of flink-examples-streaming (renamed to
// WordCount.jar, WindowJoin.jar, SocketWindowWordCount.jar, TopSpeedWindowing.jar, ...) to
// examples/streaming, StateMachineExample.jar from
// flink-examples-build-helper/flink-examples-streaming-state-machine, and the DataSet examples of
// flink-examples-batch to examples/batch. Flink 2.0 removed the DataSet API and with it
// examples/batch/WordCount.jar. Only self-contained jobs that run without outside input are listed
// (not SocketWindowWordCount, which waits for a socket).
import { isFlink2, type FlinkVersion } from './flink-versions';

export type ExampleJar = { uri: string; name: string; description: string };

const STREAMING: ExampleJar[] = [
  { uri: 'local:///opt/flink/examples/streaming/StateMachineExample.jar', name: 'StateMachineExample', description: 'endless stream of events checked against a state machine' },
  { uri: 'local:///opt/flink/examples/streaming/TopSpeedWindowing.jar', name: 'TopSpeedWindowing', description: 'endless stream of car speeds, windowed' },
  { uri: 'local:///opt/flink/examples/streaming/WindowJoin.jar', name: 'WindowJoin', description: 'two generated streams joined in windows' },
  { uri: 'local:///opt/flink/examples/streaming/WordCount.jar', name: 'WordCount (streaming)', description: 'counts words of a built-in text, then finishes' },
];

const BATCH_WORD_COUNT: ExampleJar = {
  uri: 'local:///opt/flink/examples/batch/WordCount.jar',
  name: 'WordCount (batch)',
  description: 'DataSet API word count, then finishes',
};

/** The example jars inside the official image of a Flink version, as local:// URIs. */
export function exampleJarsFor(version: FlinkVersion): ExampleJar[] {
  return isFlink2(version) ? STREAMING : [...STREAMING, BATCH_WORD_COUNT];
}
