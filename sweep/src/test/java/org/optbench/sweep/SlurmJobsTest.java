package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.exec.ExecutorChoices;
import org.optbench.sweep.exec.ExecutorRequest;
import org.optbench.sweep.exec.ExecutorSpec;
import org.optbench.sweep.exec.LocalExecutorSpec;
import org.optbench.sweep.exec.Outcome;
import org.optbench.sweep.exec.SlurmExecutorSpec;
import org.optbench.sweep.exec.SlurmJobs;

/** squeue's JSON (22.05 and 23.x layouts) and text output, the state mapping, and the executor spec. */
class SlurmJobsTest {

    @Test
    void readsSlurm2205Json() throws Exception {
        // as squeue --json printed it on Slurm 22.05: exit_code is the batch script's wait status
        Map<String, SlurmJobs.Job> jobs = SlurmJobs.parseJson("""
                {"meta": {}, "jobs": [
                  {"job_id": 1, "job_state": "COMPLETED", "exit_code": 0, "state_reason": "None"},
                  {"job_id": 2, "job_state": "FAILED", "exit_code": 768, "state_reason": "NonZeroExitCode"},
                  {"job_id": 3, "job_state": "FAILED", "exit_code": 9, "state_reason": "JobLaunchFailure"},
                  {"job_id": 4, "job_state": "CANCELLED", "exit_code": 15, "state_reason": "None"},
                  {"job_id": 5, "job_state": "RUNNING", "exit_code": 0, "state_reason": "None"}]}
                """);
        assertEquals(Outcome.exited(0), SlurmJobs.outcome(jobs.get("1")));
        Outcome three = SlurmJobs.outcome(jobs.get("2"));
        assertEquals(Outcome.Kind.EXITED, three.kind());
        assertEquals(3, three.exitCode());
        assertEquals(Outcome.Kind.LOST, SlurmJobs.outcome(jobs.get("3")).kind(), "killed by SIGKILL: retried");
        assertTrue(SlurmJobs.outcome(jobs.get("3")).reason().contains("signal 9"));
        assertEquals(Outcome.Kind.CANCELLED, SlurmJobs.outcome(jobs.get("4")).kind());
        assertNull(SlurmJobs.outcome(jobs.get("5")), "still running");
    }

    @Test
    void readsSlurm23Json() throws Exception {
        Map<String, SlurmJobs.Job> jobs = SlurmJobs.parseJson("""
                {"jobs": [
                  {"job_id": 7, "job_state": ["NODE_FAIL"], "exit_code": {"status": ["SIGNALED"],
                   "return_code": {"set": true, "number": 0}, "signal": {"id": {"set": true, "number": 9}}},
                   "state_reason": "None"},
                  {"job_id": 8, "job_state": ["TIMEOUT"], "exit_code": {"return_code": 0, "signal": {"id": 0}}},
                  {"job_id": 9, "job_state": ["PENDING"], "exit_code": {"return_code": 0}}]}
                """);
        assertEquals(Outcome.Kind.LOST, SlurmJobs.outcome(jobs.get("7")).kind(), "node failure: retried");
        Outcome timeout = SlurmJobs.outcome(jobs.get("8"));
        assertEquals(Outcome.Kind.EXITED, timeout.kind());
        assertTrue(timeout.exitCode() != 0 && timeout.reason().contains("TIMEOUT"), timeout.toString());
        assertNull(SlurmJobs.outcome(jobs.get("9")));
    }

    @Test
    void readsTextAndMapsEveryState() {
        Map<String, SlurmJobs.Job> jobs = SlurmJobs.parseText("11|PREEMPTED|None\n12|OUT_OF_MEMORY|None\n13|COMPLETING|None\n");
        assertEquals(Outcome.Kind.LOST, SlurmJobs.outcome(jobs.get("11")).kind());
        assertEquals(Outcome.Kind.EXITED, SlurmJobs.outcome(jobs.get("12")).kind());
        assertTrue(SlurmJobs.outcome(jobs.get("12")).reason().contains("OUT_OF_MEMORY"));
        assertNull(SlurmJobs.outcome(jobs.get("13")));
    }

    @Test
    void aRemoteSpecChoosesAmongTheServersExecutorsAndSetsNothingElse() {
        SlurmExecutorSpec gpu = new SlurmExecutorSpec("gpu", 1, 8, "32G", null, "lab", "normal", List.of("--constraint=a100"), 2);
        ExecutorChoices local = new ExecutorChoices(LocalExecutorSpec.defaults(), java.util.Map.of("gpu", gpu));
        String base = "name: e\nsteps: 10\nparameters:\n  optimizer:\n    adamw: {lr: {value: 0.01}}\n";
        java.util.function.Function<String, ExecutorRequest> req = exec -> SweepSpecParser.parse(base + exec, "s").executor();
        assertEquals(LocalExecutorSpec.defaults(), local.resolve(null, false), "no executor: the default");
        assertEquals(gpu, local.resolve(req.apply("executor: {type: slurm, profile: gpu}\n"), false), "a profile by name");
        assertEquals(LocalExecutorSpec.defaults(), local.resolve(req.apply("executor: {type: local}\n"), false));
        SweepSpecException slurm = assertThrows(SweepSpecException.class,
                () -> ExecutorChoices.only(LocalExecutorSpec.defaults()).resolve(req.apply("executor: {type: slurm}\n"), false));
        assertTrue(slurm.getMessage().contains("may choose among this server's executors, the default (local) and no Slurm "
                + "profiles"), slurm.getMessage());
        SweepSpecException extra = assertThrows(SweepSpecException.class, () -> local.resolve(req.apply(
                "executor: {type: slurm, partition: gpu, extra_args: ['--export=LD_PRELOAD=/tmp/x.so']}\n"), false));
        assertTrue(extra.getMessage().contains("set nothing else"), extra.getMessage());
        assertTrue(assertThrows(SweepSpecException.class, () -> local.resolve(req.apply(
                "executor: {type: slurm, profile: huge}\n"), false)).getMessage().contains("no Slurm profile 'huge'"));
        ExecutorSpec written = req.apply("executor: {type: slurm, partition: debug}\n").inline();
        assertEquals(written, local.resolve(req.apply("executor: {type: slurm, partition: debug}\n"), true),
                "the local user may write an executor out");
    }

    @Test
    void executorSpecs() {
        String base = "name: e\nsteps: 10\nparameters:\n  optimizer:\n    adamw: {lr: {value: 0.01}}\n";
        ExecutorSpec slurm = SweepSpecParser.parse(base + "executor: {type: slurm, partition: gpu, gpus_per_trial: 1, "
                + "cpus_per_trial: 8, mem: 32G, time_limit: '04:00:00', account: lab, qos: high, extra_args: [--exclusive]}\n",
                "s").executor().inline();
        assertEquals(new SlurmExecutorSpec("gpu", 1, 8, "32G", "04:00:00", "lab", "high", List.of("--exclusive"), 2), slurm);
        assertEquals(8, slurm.threadsPerTrial(null, 2), "a job's CPUs are its trial's threads");
        assertEquals((long) (0.75 * 32 * (1L << 30)), slurm.workerHeapBytes(1L << 30), "the heap is 3/4 of mem");
        assertEquals(0, SlurmExecutorSpec.defaults().workerHeapBytes(1L << 30), "without mem the node decides");
        assertNull(SweepSpecParser.parse(base, "s").executor(), "no executor: the server's default");
        assertEquals(new LocalExecutorSpec(2), SweepSpecParser.parse(base + "executor: {type: local}\n", "s").executor().inline());
        assertEquals(new ExecutorRequest("gpu", null), SweepSpecParser.parse(base + "executor: {type: slurm, profile: gpu}\n",
                "s").executor());
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "executor: {profile: gpu, partition: x}\n", "s")).getMessage().contains("unknown key 'executor.partition'"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "executor: {type: slurm, gpus: 1}\n", "s")).getMessage().contains("gpus_per_trial"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "executor: {type: k8s}\n", "s")).getMessage().contains("[local, slurm]"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "executor: {type: slurm, mem: lots}\n", "s")).getMessage().contains("16G"));
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(base
                + "executor: {type: slurm, gpus_per_trial: -1}\n", "s")).getMessage().contains(">= 0"));
    }
}
