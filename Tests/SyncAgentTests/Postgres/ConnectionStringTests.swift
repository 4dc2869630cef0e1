import BoxOfficeKit
import Testing
@testable import SyncAgent

/// A connection string is read by libpq itself: its password is found wherever libpq would find it,
/// and taken out without changing anything else.
struct ConnectionStringTests {
    @Test(arguments: [
        "postgresql://node_braga:s3cret@hq.example:5432/boxoffice",
        "postgres://node_braga:s3cret@hq.example/boxoffice?sslmode=require",
        "postgresql://node_braga@hq.example/boxoffice?password=s3cret",
        "postgresql://node_braga@hq.example/boxoffice?sslmode=require&password=s3cret&connect_timeout=3",
        "postgresql://node_braga:s3cret@hq-1.example:5432,hq-2.example:5433/boxoffice",
        "host=hq.example dbname=boxoffice user=node_braga password=s3cret",
        "host=hq.example user=node_braga password='s3cret' sslmode=require",
    ])
    func aPasswordIsFoundAndTakenOutLeavingEverythingElse(text: String) throws {
        let connection = try ConnectionString(text)
        #expect(connection.password == "s3cret")
        let plain = try ConnectionString(connection.withoutPassword)
        #expect(!plain.hasPassword)
        #expect(!connection.withoutPassword.contains("s3cret"))
        var expected = connection.options
        expected["password"] = nil
        #expect(plain.options == expected, "every other setting is kept: \(connection.withoutPassword)")
        #expect(!connection.redacted.contains("s3cret"))
        #expect(connection.redacted.contains("****"))
    }

    @Test func aURIKeepsItsShapeWithoutThePassword() throws {
        #expect(try ConnectionString("postgresql://node_braga:s3cret@hq.example:5432/boxoffice").withoutPassword
                == "postgresql://node_braga@hq.example:5432/boxoffice")
        #expect(try ConnectionString("postgresql://node:p%40ss%2Fw%3Ard@hq.example/boxoffice?sslmode=require").withoutPassword
                == "postgresql://node@hq.example/boxoffice?sslmode=require")
        #expect(try ConnectionString("postgresql://node@hq.example/boxoffice?password=x&sslmode=require").withoutPassword
                == "postgresql://node@hq.example/boxoffice?sslmode=require")
        #expect(try ConnectionString("postgresql://node:s3cret@hq.example:5432/boxoffice").redacted
                == "postgresql://node:****@hq.example:5432/boxoffice")
        #expect(try ConnectionString("host=hq.example password=s3cret").withoutPassword == "host='hq.example'")
    }

    @Test func aPercentEncodedPasswordIsReadAsLibpqReadsIt() throws {
        #expect(try ConnectionString("postgresql://node:p%40ss%2Fw%3Ard@hq.example/boxoffice").password == "p@ss/w:rd")
    }

    @Test(arguments: ["postgresql://node@hq.example/boxoffice", "postgresql://node:@hq.example/boxoffice",
                      "host=hq.example user=node", "postgresql:///boxoffice", ""])
    func noPasswordIsNone(text: String) throws {
        #expect(try !ConnectionString(text).hasPassword)
    }

    @Test func aTextLibpqCannotReadIsRefusedWithoutRepeatingIt() throws {
        let error = #expect(throws: InputError.self) { try ConnectionString("postgresql://node:s3%zzcret@hq.example/db") }
        #expect(error?.field == "url")
        #expect(error?.reason.contains("s3") == false, "\(error?.reason ?? "")")
        #expect(error?.reason.contains("zz") == false)
        let bracket = #expect(throws: InputError.self) { try ConnectionString("postgresql://node:s3cret@[::1/db") }
        #expect(bracket?.reason.contains("s3cret") == false, "\(bracket?.reason ?? "")")
        #expect(bracket?.reason.contains("IPv6") == true, "libpq's reason is kept")
    }
}
