import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local has no option for the address it binds and listens on every
 * interface. This launcher builds the server from the usual command line, then sets
 * the host of each Jetty connector before the server starts. Run it in source-file
 * mode with DynamoDBLocal.jar and DynamoDBLocal_lib on the class path; it takes the
 * same arguments as DynamoDBLocal.jar.
 *
 * <p>With -Dloopback.exitWithParent=true it also exits once its standard input
 * closes, so that it never outlives the process that started it.
 */
public class LoopbackDynamoDBLocal {
    private static final String LOOPBACK = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        if (proxy == null) {
            // -help prints the usage and creates no server.
            return;
        }
        // The Jetty server is private; reflection is the only way to reach it.
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        int bound = 0;
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setHost(LOOPBACK);
                bound++;
            }
        }
        if (bound == 0) {
            throw new IllegalStateException("no Jetty connector to bind to " + LOOPBACK);
        }
        if (Boolean.getBoolean("loopback.exitWithParent")) {
            exitWhenStdinCloses();
        }
        proxy.start();
        proxy.join();
    }

    private static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // Anything written is ignored; only the end of the stream matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, the same as end of stream.
            }
            System.exit(0);
        }, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
    }
}
