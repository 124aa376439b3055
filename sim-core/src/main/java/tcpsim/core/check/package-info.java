/**
 * tcpsim's property-testing harness: generators ({@link tcpsim.core.check.Gen}) drawing from a
 * recorded choice sequence ({@link tcpsim.core.check.Choices}), a runner for properties
 * ({@link tcpsim.core.check.Property}) and stateful action chains
 * ({@link tcpsim.core.check.ActionChain}), shrinking that needs no code per generator, and
 * {@link tcpsim.core.check.SimulationFailure} for broken invariants of the simulator itself.
 *
 * <p>Every case derives from one run seed ({@code -Dtcpsim.seed}), and every failure starts with
 * the line that replays it. The user guide is docs/property-testing.md; why tcpsim does not
 * use jqwik is docs/decisions/0001-no-jqwik.md.
 */
package tcpsim.core.check;
