package org.optbench.train.run;

/**
 * Looks up the facts of a run's data where validation runs (the machine that accepts a spec),
 * without reading or fetching tokens. The error for data that does not exist says how to make it.
 */
@FunctionalInterface
public interface DataCatalog {

    DataFacts describe(DataSpec data);
}
