import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Target;

/**
 * Build step of the db module (run by exec-maven-plugin, not compiled into the module):
 * migrates a throw-away embedded PostgreSQL with the real Flyway migrations and generates jOOQ
 * classes from the result, so PL/pgSQL, partial indexes and triggers need no SQL parser and no Docker.
 * Skips itself when the generated code is newer than every migration and this file.
 */
public class GenerateJooq {

    public static void main(String[] args) throws Exception {
        Path migrations = Path.of(args[0]);
        Path output = Path.of(args[1]);
        String packageName = args[2];
        Path stamp = output.resolve(".generated");

        // inputs: the migrations and this generator itself (args[3])
        long newestInput = Math.max(newestModified(migrations), Path.of(args[3]).toFile().lastModified());
        if (Files.exists(stamp) && Files.getLastModifiedTime(stamp).toMillis() >= newestInput) {
            System.out.println("jOOQ code is up to date with " + migrations);
            return;
        }

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Flyway.configure()
                    .dataSource(postgres.getPostgresDatabase())
                    .locations("filesystem:" + migrations.toAbsolutePath())
                    .load()
                    .migrate();
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                Configuration configuration = new Configuration()
                        .withGenerator(new Generator()
                                .withDatabase(new Database()
                                        .withName("org.jooq.meta.postgres.PostgresDatabase")
                                        .withInputSchema("public")
                                        .withExcludes("flyway_schema_history|batch_.*|shedlock"))
                                .withGenerate(new Generate()
                                        .withJavaTimeTypes(true)
                                        .withRecords(true)
                                        .withPojos(false)
                                        .withFluentSetters(true))
                                .withTarget(new Target()
                                        .withPackageName(packageName)
                                        .withDirectory(output.toAbsolutePath().toString())));
                GenerationTool generator = new GenerationTool();
                generator.setConnection(connection);
                generator.run(configuration);
            }
        }
        Files.createDirectories(output);
        Files.writeString(stamp, "generated from " + migrations + "\n");
    }

    private static long newestModified(Path migrations) throws Exception {
        try (Stream<Path> files = Files.walk(migrations)) {
            return files.mapToLong(path -> path.toFile().lastModified()).max().orElse(0);
        }
    }
}
