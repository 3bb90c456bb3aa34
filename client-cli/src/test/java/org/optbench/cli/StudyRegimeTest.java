package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.optbench.model.ModelPresets;
import org.optbench.model.ParameterLayout;
import org.optbench.train.data.DefaultCorpus;

/**
 * The CPU study regime, as a user meets it: {@code data fetch --tokenization sotu-512} prepares
 * the default corpus in 512 pieces and says what it carries (tokens per split, the largest model
 * at 20 tokens per non-embedding parameter); the {@code study} preset fits that budget in one pass
 * with most of its parameters outside the embeddings and at least 65,536 validation tokens; and
 * {@code train --data sotu-512} trains on it, recording the data set by name.
 */
class StudyRegimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = Path.of("target", "test-home-512").toAbsolutePath();

    @Test
    void theSmallVocabularyCorpusCarriesTheStudyPresetAtTwentyTokensPerParameter() throws Exception {
        Path raw = DefaultCorpus.fetch(Path.of("target", "test-data").toAbsolutePath(), new PrintWriter(new StringWriter()));
        Path data = HOME.resolve("data");
        Files.createDirectories(data.resolve("raw"));
        Files.copy(raw, DefaultCorpus.rawFile(data), StandardCopyOption.REPLACE_EXISTING);

        CliProcess fetch = CliProcess.run(HOME, Map.of(), 300, "data", "fetch", "--tokenization", "sotu-512", "--root",
                data.toString());
        assertEquals(0, fetch.code(), fetch.err());
        Matcher tokens = Pattern.compile("tokens: train ([0-9,]+), val ([0-9,]+) \\(vocabulary 512\\)").matcher(fetch.out());
        assertTrue(tokens.find(), fetch.out());
        long train = Long.parseLong(tokens.group(1).replace(",", ""));
        long val = Long.parseLong(tokens.group(2).replace(",", ""));
        assertTrue(fetch.out().contains("d_model 64: 4 layers"), fetch.out());

        assertEquals(512, ModelPresets.get("study").config().vocabSize());
        ParameterLayout study = new ParameterLayout(ModelPresets.get("study").config());
        assertTrue(study.nonEmbeddingCount() >= 0.6 * study.totalCount(), "non-embedding share "
                + study.nonEmbeddingCount() + " of " + study.totalCount());
        assertTrue(train >= 20 * study.nonEmbeddingCount(), train + " training tokens carry 20 per parameter");
        assertTrue(val >= 65_536, val + " validation tokens");

        CliProcess run = CliProcess.run(HOME, Map.of("OPTBENCH_HOME", HOME.toString()), 300, "train", "--preset", "study",
                "--data", "sotu-512", "--steps", "20", "--eval-tokens", "65536", "--eval-points", "1", "--threads", "1");
        assertEquals(0, run.code(), run.err());
        JsonNode result = JSON.readTree(run.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertEquals("completed", result.get("status").asText());
        assertEquals("sotu-512", result.get("config").get("data").asText());
        assertEquals(512, result.get("config").get("vocab").asInt());
        assertEquals(study.totalCount(), result.get("config").get("parameters").asLong());

        CliProcess bad = CliProcess.run(HOME, Map.of(), 60, "data", "fetch", "--tokenization", "sotu-999", "--root",
                data.toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("--tokenization 'sotu-999' is not one of sotu-8k, sotu-512"), bad.err());
    }
}
