package dlx.launcher.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The control channel between the supervisor and its worker: one JSON object per line over a
 * loopback socket. Every message has a {@code type}; {@link Protocol} names them. Sending is
 * thread-safe (the worker sends meter snapshots from a timer thread while a run goes).
 */
final class Channel implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;

    Channel(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
    }

    static ObjectNode message(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    synchronized void send(JsonNode message) throws IOException {
        out.write(JSON.writeValueAsString(message));
        out.write('\n');
        out.flush();
    }

    /** The next message; null when the other side closed the channel (or died). */
    JsonNode receive() throws IOException {
        String line = in.readLine();
        return line == null ? null : JSON.readTree(line);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
