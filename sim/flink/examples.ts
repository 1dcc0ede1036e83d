// The example jars of the official image (/opt/flink/examples), with their job names and graphs
// (flink-examples-streaming / flink-examples-batch; chained operators shown as Flink names them).
import { versionAtLeast } from './images';

export interface VertexTemplate {
  name: string;
  /** fixed parallelism (e.g. a non-parallel source); undefined = job parallelism */
  parallelism?: number;
}

export interface ProgramTemplate {
  jobName: string;
  mainClass: string;
  jobType: 'STREAMING' | 'BATCH';
  /** bounded jobs finish after this long (ms, simulated) */
  runtimeMs?: number;
  vertices: VertexTemplate[];
}

export interface ExampleJar {
  path: string;
  program: ProgramTemplate;
}

export function exampleJars(flinkVersion: string): ExampleJar[] {
  const out: ExampleJar[] = [
    {
      path: '/opt/flink/examples/streaming/WordCount.jar',
      program: {
        jobName: 'WordCount',
        mainClass: 'org.apache.flink.streaming.examples.wordcount.WordCount',
        jobType: 'STREAMING',
        runtimeMs: 1500,
        vertices: [{ name: 'Source: in-memory-input -> tokenizer' }, { name: 'counter -> Sink: print-sink' }],
      },
    },
    {
      path: '/opt/flink/examples/streaming/StateMachineExample.jar',
      program: {
        jobName: 'State machine job',
        mainClass: 'org.apache.flink.streaming.examples.statemachine.StateMachineExample',
        jobType: 'STREAMING',
        vertices: [{ name: 'Source: StateMachineExampleSource' }, { name: 'Flat Map -> Sink: Print to Std. Out' }],
      },
    },
    {
      path: '/opt/flink/examples/streaming/TopSpeedWindowing.jar',
      program: {
        jobName: 'CarTopSpeedWindowingExample',
        mainClass: 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing',
        jobType: 'STREAMING',
        vertices: [
          { name: 'Source: Data Generator -> Timestamps/Watermarks' },
          { name: 'GlobalWindows -> Sink: Print to Std. Out' },
        ],
      },
    },
    {
      path: '/opt/flink/examples/streaming/SocketWindowWordCount.jar',
      program: {
        jobName: 'Socket Window WordCount',
        mainClass: 'org.apache.flink.streaming.examples.socket.SocketWindowWordCount',
        jobType: 'STREAMING',
        vertices: [{ name: 'Source: Socket Stream -> Flat Map', parallelism: 1 }, { name: 'TumblingProcessingTimeWindows -> Sink: Print to Std. Out' }],
      },
    },
    {
      path: '/opt/flink/examples/streaming/WindowJoin.jar',
      program: {
        jobName: 'Windowed Join Example',
        mainClass: 'org.apache.flink.streaming.examples.join.WindowJoin',
        jobType: 'STREAMING',
        vertices: [{ name: 'Source: Grades Data Generator' }, { name: 'Source: Salaries Data Generator' }, { name: 'Window(TumblingEventTimeWindows) -> Sink: Print to Std. Out' }],
      },
    },
  ];
  if (!versionAtLeast(flinkVersion, '2.0')) {
    // The DataSet API (and examples/batch/WordCount.jar with it) was removed in Flink 2.0.
    out.push({
      path: '/opt/flink/examples/batch/WordCount.jar',
      program: {
        jobName: 'WordCount Example',
        mainClass: 'org.apache.flink.examples.java.wordcount.WordCount',
        jobType: 'BATCH',
        runtimeMs: 1500,
        vertices: [
          { name: 'CHAIN DataSource (at getTextDataSet(WordCount.java:142) (org.apache.flink.api.java.io.CollectionInputFormat)) -> FlatMap (FlatMap at main(WordCount.java:83)) -> Combine (SUM(1), at main(WordCount.java:86)', parallelism: 1 },
          { name: 'Reduce (SUM(1), at main(WordCount.java:86)' },
          { name: 'DataSink (collect())' },
        ],
      },
    });
  }
  return out;
}

/**
 * A user program: a streaming job, source -> map -> sink, named as its main names it
 * (`env.execute(name)`), else after its entry class.
 */
export function genericProgram(entryClass: string, jobName?: string): ProgramTemplate {
  return {
    jobName: jobName ?? entryClass.split('.').pop() ?? entryClass,
    mainClass: entryClass,
    jobType: 'STREAMING',
    vertices: [{ name: 'Source: Custom Source' }, { name: 'Map' }, { name: 'Sink: Print to Std. Out' }],
  };
}
