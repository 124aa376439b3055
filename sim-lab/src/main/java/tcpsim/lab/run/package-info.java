/**
 * Running experiments: the workload library (applications on {@link tcpsim.net.socket.SocketApi}
 * driven by virtual-time events and readiness) and {@link tcpsim.lab.run.ExperimentRunner}, which
 * builds the network of an {@link tcpsim.lab.experiment.Experiment}, runs it on one simulation
 * with one seed and returns a {@link tcpsim.lab.run.RunResult}. Same experiment and seed, same
 * result, byte for byte.
 */
package tcpsim.lab.run;
