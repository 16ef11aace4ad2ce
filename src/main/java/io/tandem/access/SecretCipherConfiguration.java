package io.tandem.access;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tandem.datastore.DataDirectory;

@Configuration(proxyBeanMethods = false)
class SecretCipherConfiguration {

    @Bean
    SecretCipher secretCipher(@Value("${tandem.master-key:}") String masterKey, DataDirectory dataDirectory) {
        return SecretCipher.load(masterKey, dataDirectory.resolve("master.key"));
    }
}
